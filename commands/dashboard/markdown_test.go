package dashboard

import "testing"

func TestMarkdownText(t *testing.T) {
	md := "# Runbook #\n" +
		"## Steps\n" +
		"- restart **app** with `systemctl restart app`\n" +
		"  * then check [the graph](https://example.com/g \"title\")\n" +
		"![diagram](https://example.com/d.png)\n" +
		"***\n" +
		"```\n" +
		"- not a **list** in code\n" +
		"```\n" +
		"snake_case_names and 2 * 3 * 4 stay"
	want := "Runbook\n═══════\n" +
		"Steps\n─────\n" +
		"• restart app with systemctl restart app\n" +
		"  • then check the graph (https://example.com/g)\n" +
		"[image: diagram] (https://example.com/d.png)\n" +
		"────────\n" +
		"- not a **list** in code\n" +
		"snake_case_names and 2 * 3 * 4 stay\n"
	if got := markdownText(md); got != want {
		t.Fatalf("markdownText =\n%s\nwant\n%s", got, want)
	}
}
