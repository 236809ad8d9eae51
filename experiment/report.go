package experiment

import (
	"encoding/base64"
	"fmt"
	"html"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"meanfield/internal/atomicfile"
	"meanfield/plot"
)

// markdownTable renders a table as GitHub Markdown, caption in italics above it.
func markdownTable(t Table) string {
	var b strings.Builder
	if t.Caption != "" {
		fmt.Fprintf(&b, "*%s*\n\n", t.Caption)
	}
	fmt.Fprintf(&b, "| %s |\n|%s\n", strings.Join(t.Header, " | "), strings.Repeat("---|", len(t.Header)))
	for _, r := range t.Rows {
		fmt.Fprintf(&b, "| %s |\n", strings.Join(r, " | "))
	}
	return b.String()
}

// crossClaim is a claim judged across experiments: does C(π) grow from N = 20 to N = 40?
type crossClaim struct {
	Claim, Verdict string
	Holds          bool
}

// nClaim compares the 10x10 settings at N = 20 and N = 40 when both are finished.
func nClaim(outcomes []*Outcome) *crossClaim {
	var small, large *Outcome
	for _, o := range outcomes {
		switch o.Name {
		case "c-pi-10x10-n20":
			small = o
		case "c-pi-10x10-n40":
			large = o
		}
	}
	if small == nil || large == nil {
		return nil
	}
	find := func(o *Outcome, alg string) *CompareSummary {
		for i := range o.Finals {
			if o.Finals[i].Algorithm == alg {
				return &o.Finals[i]
			}
		}
		return nil
	}
	g20, g40 := find(small, "gmf-q"), find(large, "gmf-q")
	if g20 == nil || g40 == nil {
		return nil
	}
	c := &crossClaim{
		Claim: "GMF-Q's C(π) does not grow from N = 20 to N = 40 (the talk adds: while IL's and MF-Q's do).",
		Holds: g40.Mean <= g20.Upper90,
	}
	c.Verdict = fmt.Sprintf("GMF-Q: %.4f at N = 20 (90%% CI [%.4f, %.4f]) and %.4f at N = 40, %s.", g20.Mean, g20.Lower90, g20.Upper90, g40.Mean,
		map[bool]string{true: "within the N = 20 interval or below it", false: "above the N = 20 interval"}[c.Holds])
	for _, alg := range []string{"il", "mf-q"} {
		if a, b := find(small, alg), find(large, alg); a != nil && b != nil {
			trend := "grows"
			if b.Mean <= a.Mean {
				trend = "does not grow"
			}
			c.Verdict += fmt.Sprintf(" %s: %.4f → %.4f (%s).", algorithmLabel(alg), a.Mean, b.Mean, trend)
		}
	}
	return c
}

// yesNo is the report's verdict on a claim: "holds" or "does not hold".
func yesNo(b bool) string {
	if b {
		return "holds"
	}
	return "does not hold"
}

// Here is the verdict on an outcome's claim: "holds", "does not hold", or "not decided" when the
// data cannot tell (intervals that overlap).
func (o *Outcome) Here() string {
	if o.Undecided && !o.Holds {
		return "not decided"
	}
	return yesNo(o.Holds)
}

// writeReport writes report.md, report.html (figures embedded) and config.yaml into outDir, from
// rep's outcomes; the summary says which experiments were computed now, which were kept and which
// are missing and why. note, when not empty, says why the reproduction stopped before its end.
func writeReport(outDir string, rep *ReproduceReport, note string) ([]string, error) {
	cfg, outcomes := rep.Config, rep.Outcomes
	cross := nClaim(outcomes)
	cfgPath := filepath.Join(outDir, "config.yaml")
	if err := writeYAML(cfgPath, "Configuration of this reproduction (every size and the master seed).", cfg); err != nil {
		return nil, err
	}
	cfgText, err := os.ReadFile(cfgPath)
	if err != nil {
		return nil, err
	}
	blocks := reportBlocks(cfg, outcomes, cross)
	blocks[0].paras = append(blocks[0].paras, rep.provenance()...)
	if note != "" {
		blocks[0].paras = append(blocks[0].paras, note)
	}
	mdPath := filepath.Join(outDir, "report.md")
	if err := atomicfile.Write(mdPath, func(w io.Writer) error {
		writeMarkdownReport(w, blocks, cfgText)
		return nil
	}); err != nil {
		return nil, err
	}
	htmlPath := filepath.Join(outDir, "report.html")
	if err := atomicfile.Write(htmlPath, func(w io.Writer) error {
		return writeHTMLReport(w, outDir, blocks, cfgText)
	}); err != nil {
		return nil, err
	}
	return []string{mdPath, htmlPath, cfgPath}, nil
}

// provenance says which experiments of the report this run computed and which it kept from
// earlier runs, and lists those the report lacks with the reason.
func (rep *ReproduceReport) provenance() []string {
	code := func(names []string) string { return "`" + strings.Join(names, "`, `") + "`" }
	var paras []string
	if len(rep.Ran) > 0 {
		paras = append(paras, "Computed by this run: "+code(rep.Ran)+".")
	}
	if len(rep.Kept) > 0 {
		paras = append(paras, "Kept from earlier runs in this folder, with the same configuration: "+code(rep.Kept)+".")
	}
	if len(rep.Missing) > 0 {
		var items []string
		for _, m := range rep.Missing {
			items = append(items, fmt.Sprintf("`%s` (%s)", m.Name, m.Reason))
		}
		paras = append(paras, "Not in this report: "+strings.Join(items, "; ")+".")
	}
	return paras
}

// reportBlock is one section of the report; the Markdown and HTML renderings walk the same blocks.
type reportBlock struct {
	heading string
	paras   []string
	tables  []Table
	figures []Figure
	dir     string // the experiment's folder, relative to the report, holding its figures
}

// reportBlocks is the report's content: the summary, one section per finished experiment and,
// when both 10x10 settings are finished, the claim about C(π) as N grows.
func reportBlocks(cfg ReproduceConfig, outcomes []*Outcome, cross *crossClaim) []reportBlock {
	blocks := []reportBlock{summaryBlock(cfg, outcomes, cross)}
	for _, o := range outcomes {
		paras := []string{"**Claim.** " + o.Claim, fmt.Sprintf("**Here: %s.** %s", o.Here(), o.Verdict), fmt.Sprintf("Experiment `%s`, %.1f s; files in `%s/`.", o.Name, o.Seconds, o.Name)}
		blocks = append(blocks, reportBlock{heading: o.Title, paras: paras, tables: o.Tables, figures: o.Figures, dir: o.Name})
	}
	if cross != nil {
		blocks = append(blocks, reportBlock{heading: "C(π) as N grows", paras: []string{"**Claim.** " + cross.Claim, fmt.Sprintf("**Here: %s.** %s", yesNo(cross.Holds), cross.Verdict)}})
	}
	return blocks
}

// summaryBlock is the report's first section: what was reproduced, in which mode, and a table of
// every claim with whether it holds here.
func summaryBlock(cfg ReproduceConfig, outcomes []*Outcome, cross *crossClaim) reportBlock {
	var total float64
	for _, o := range outcomes {
		total += o.Seconds
	}
	summary := Table{Header: []string{"experiment", "claim of the talk", "here"}}
	for _, o := range outcomes {
		summary.Rows = append(summary.Rows, []string{o.Name, o.Claim, o.Here()})
	}
	if cross != nil {
		summary.Rows = append(summary.Rows, []string{"c-pi-10x10-n20 vs -n40", cross.Claim, yesNo(cross.Holds)})
	}
	mode := "full"
	if cfg.Quick {
		mode = "quick (reduced sizes: not the figures to compare with the talk)"
	}
	intro := []string{
		"Reproduction of the experiments of Guo, Hu, Xu and Zhang, *Learning Mean-Field Games* (NeurIPS 2019), as given in the talk, by `mfg reproduce`.",
		fmt.Sprintf("Mode: %s. Master seed %d. %d of %d experiments finished; their computing time adds up to %.0f s. Regenerate one with `mfg reproduce --only NAME` (names below); finished experiments are not recomputed.", mode, cfg.Seed, len(outcomes), len(Experiments(cfg)), total),
	}
	return reportBlock{heading: "Summary", paras: intro, tables: []Table{summary}}
}

// writeMarkdownReport renders the blocks as report.md, figures linked, configuration at the end.
func writeMarkdownReport(w io.Writer, blocks []reportBlock, cfgText []byte) {
	fmt.Fprintln(w, "# Learning Mean-Field Games: reproduction report")
	for _, b := range blocks {
		fmt.Fprintf(w, "\n## %s\n\n", b.heading)
		for _, p := range b.paras {
			fmt.Fprintf(w, "%s\n\n", p)
		}
		for _, t := range b.tables {
			fmt.Fprintf(w, "%s\n", markdownTable(t))
		}
		for _, f := range b.figures {
			fmt.Fprintf(w, "![%s](%s)\n\n*%s*\n\n", f.Caption, filepath.ToSlash(filepath.Join(b.dir, f.PNG)), f.Caption)
		}
	}
	fmt.Fprintf(w, "\n## Configuration\n\n```yaml\n%s```\n", cfgText)
}

// reportHTMLHead opens report.html: its head with the style sheet, and the title.
const reportHTMLHead = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Learning Mean-Field Games: reproduction report</title>
<style>
body{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;line-height:1.45;color:#222}
table{border-collapse:collapse;margin:0.5em 0 1.2em}td,th{border:1px solid #bbb;padding:0.3em 0.6em;text-align:left}
th{background:#f0f0f0}figure{margin:1em 0 1.5em}img{max-width:100%;border:1px solid #ddd}figcaption{font-style:italic;color:#555}
.holds{color:#176117;font-weight:bold}.fails{color:#a31515;font-weight:bold}pre{background:#f6f6f6;padding:1em;overflow:auto}
</style></head><body>
<h1>Learning Mean-Field Games: reproduction report</h1>
`

// writeHTMLReport renders the blocks as a self-contained report.html: the PNG figures, read from
// outDir, are embedded as base64 data URLs.
func writeHTMLReport(w io.Writer, outDir string, blocks []reportBlock, cfgText []byte) error {
	fmt.Fprint(w, reportHTMLHead)
	for _, b := range blocks {
		fmt.Fprintf(w, "<h2>%s</h2>\n", htmlText(b.heading))
		for _, p := range b.paras {
			fmt.Fprintf(w, "<p>%s</p>\n", inlineHTML(p))
		}
		for _, t := range b.tables {
			writeHTMLTable(w, t)
		}
		for _, f := range b.figures {
			data, err := os.ReadFile(filepath.Join(outDir, b.dir, f.PNG))
			if err != nil {
				return fmt.Errorf("embedding %s: %w", f.PNG, err)
			}
			fmt.Fprintf(w, "<figure><img alt=\"%s\" src=\"data:image/png;base64,%s\"><figcaption>%s</figcaption></figure>\n",
				html.EscapeString(f.Caption), base64.StdEncoding.EncodeToString(data), htmlText(f.Caption))
		}
	}
	fmt.Fprintf(w, "<h2>Configuration</h2>\n<pre>%s</pre>\n</body></html>\n", html.EscapeString(string(cfgText)))
	return nil
}

// writeHTMLTable renders a table in HTML, caption in italics above it; cells reading "holds" or
// "does not hold" get the classes holds and fails (green and red).
func writeHTMLTable(w io.Writer, t Table) {
	if t.Caption != "" {
		fmt.Fprintf(w, "<p><em>%s</em></p>\n", htmlText(t.Caption))
	}
	fmt.Fprint(w, "<table><tr>")
	for _, h := range t.Header {
		fmt.Fprintf(w, "<th>%s</th>", htmlText(h))
	}
	fmt.Fprint(w, "</tr>\n")
	for _, r := range t.Rows {
		fmt.Fprint(w, "<tr>")
		for _, c := range r {
			class := ""
			switch c {
			case "holds":
				class = ` class="holds"`
			case "does not hold":
				class = ` class="fails"`
			}
			fmt.Fprintf(w, "<td%s>%s</td>", class, htmlText(c))
		}
		fmt.Fprint(w, "</tr>\n")
	}
	fmt.Fprint(w, "</table>\n")
}

// htmlText escapes text and renders its subscripts, written as the figures write them
// (plot.Subscripts: L_k, L_{k−1}), as <sub> elements.
func htmlText(s string) string {
	var b strings.Builder
	for _, r := range plot.Subscripts(s) {
		if r.Sub {
			fmt.Fprintf(&b, "<sub>%s</sub>", html.EscapeString(r.Text))
		} else {
			b.WriteString(html.EscapeString(r.Text))
		}
	}
	return b.String()
}

// inlineHTML escapes text and renders the inline marks the report uses: **bold**, `code`,
// *emphasis*, and subscripts outside code (htmlText).
func inlineHTML(s string) string {
	parts := strings.Split(s, "`")
	for i := range parts {
		if i%2 == 0 || i == len(parts)-1 { // outside code, or after an unmatched mark
			parts[i] = htmlText(parts[i])
		} else {
			parts[i] = html.EscapeString(parts[i])
		}
	}
	s = strings.Join(parts, "`")
	for _, m := range []struct{ mark, open, close string }{{"**", "<strong>", "</strong>"}, {"`", "<code>", "</code>"}} {
		for {
			i := strings.Index(s, m.mark)
			if i < 0 {
				break
			}
			j := strings.Index(s[i+len(m.mark):], m.mark)
			if j < 0 {
				break
			}
			j += i + len(m.mark)
			s = s[:i] + m.open + s[i+len(m.mark):j] + m.close + s[j+len(m.mark):]
		}
	}
	return emphasis.ReplaceAllString(s, "$1<em>$2</em>")
}

// emphasis is *emphasis*: the opening star at the start or after a space or "(", the text
// neither starting nor ending with a space, so that the stars of "L* and L*" stay stars.
var emphasis = regexp.MustCompile(`(^|[\s(])\*([^\s*](?:[^*]*[^\s*])?)\*`)
