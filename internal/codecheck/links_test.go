package codecheck

import (
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

var (
	// An inline link or image, [text](target "title"); a reference definition, [name]: target; an
	// HTML attribute, href="target" or src="target".
	inlineLinkRE = regexp.MustCompile(`\]\(\s*(?:<([^>]*)>|([^)\s]+))(?:\s+"[^"]*")?\s*\)`)
	refLinkRE    = regexp.MustCompile(`^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)`)
	htmlLinkRE   = regexp.MustCompile(`(?:href|src)="([^"]+)"`)
	inlineCodeRE = regexp.MustCompile("`+[^`]*`+")
	schemeRE     = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9+.-]*:`)
)

// markdownLinks returns the relative link targets of a Markdown text: links, images, reference
// definitions and HTML href/src attributes, outside code blocks and code spans, without their
// #fragment; not those with a scheme (https:, mailto:) or only a fragment (#section).
func markdownLinks(text string) []string {
	var targets []string
	fence := ""
	for _, line := range strings.Split(text, "\n") {
		trimmed := strings.TrimSpace(line)
		if fence == "" && (strings.HasPrefix(trimmed, "```") || strings.HasPrefix(trimmed, "~~~")) {
			fence = trimmed[:3]
			continue
		}
		if fence != "" {
			if strings.HasPrefix(trimmed, fence) {
				fence = ""
			}
			continue
		}
		line = inlineCodeRE.ReplaceAllString(line, "``")
		var found []string
		for _, re := range []*regexp.Regexp{inlineLinkRE, refLinkRE, htmlLinkRE} {
			for _, m := range re.FindAllStringSubmatch(line, -1) {
				found = append(found, strings.Join(m[1:], "")) // the one group that matched
			}
		}
		for _, t := range found {
			t, _, _ = strings.Cut(t, "#")
			t, _, _ = strings.Cut(t, "?")
			if t == "" || schemeRE.MatchString(t) {
				continue
			}
			if u, err := url.PathUnescape(t); err == nil {
				t = u
			}
			targets = append(targets, t)
		}
	}
	return targets
}

// The link finder finds links of every form and skips code, external links and fragments.
func TestMarkdownLinks(t *testing.T) {
	text := "See [the guide](docs/guide.md#intro), ![a plot](plots/a%20b.png \"A plot\") and [x][ref].\n" +
		"[ref]: ../shared/notes.md\n" +
		"<img src=\"fig.png\"> [web](https://example.org/x.md) [top](#top) [mail](mailto:a@b.c)\n" +
		"`[not a link](in/code.md)`\n" +
		"```\n[nor this](in/block.md)\n```\n" +
		"[dir](reproduction/) [angle](<with space.md>)\n"
	want := []string{"docs/guide.md", "plots/a b.png", "../shared/notes.md", "fig.png", "reproduction/", "with space.md"}
	got := markdownLinks(text)
	if !slices.Equal(got, want) {
		t.Errorf("markdownLinks = %q, want %q", got, want)
	}
}

// Every relative link of every Markdown file of the repository (outside .git, and outputs like
// out/) resolves to a file or folder inside the repository: a clone has what the documents point to.
func TestMarkdownLinksResolve(t *testing.T) {
	rootAbs, err := filepath.Abs(root)
	if err != nil {
		t.Fatal(err)
	}
	files := 0
	err = filepath.WalkDir(rootAbs, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && path != rootAbs && (strings.HasPrefix(d.Name(), ".") || d.Name() == "out") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".md") {
			return nil
		}
		files++
		raw, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(rootAbs, path)
		for _, target := range markdownLinks(string(raw)) {
			resolved := filepath.Join(filepath.Dir(path), filepath.FromSlash(target))
			if strings.HasPrefix(target, "/") { // GitHub reads /x as the repository's x
				resolved = filepath.Join(rootAbs, filepath.FromSlash(target))
			}
			inside, err := filepath.Rel(rootAbs, resolved)
			if err != nil || inside == ".." || strings.HasPrefix(inside, ".."+string(filepath.Separator)) {
				t.Errorf("%s links to %s, outside the repository", rel, target)
				continue
			}
			if _, err := os.Stat(resolved); err != nil {
				t.Errorf("%s links to %s, which does not exist in the repository", rel, target)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files < 3 {
		t.Fatalf("found %d Markdown files; the walk is broken", files)
	}
}
