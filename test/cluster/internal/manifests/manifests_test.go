package manifests

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestParseKeepsDocumentOrderAndSkipsEmptyDocuments(t *testing.T) {
	objects, err := Parse("x.yaml", []byte("---\napiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n---\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: b, namespace: a}\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(objects) != 2 || objects[0].Name != "a" || objects[1].Kind != "Deployment" || objects[1].Group() != "apps" || objects[1].Index != 3 {
		t.Fatalf("unexpected objects %+v", objects)
	}
}

func TestParseRefusesMalformedYAML(t *testing.T) {
	if _, err := Parse("x.yaml", []byte("kind: [unclosed\n")); err == nil {
		t.Fatal("expected an error")
	}
}

func TestJudgeGroupsJudgesEachFileAloneWhenAsked(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.yaml"), filepath.Join(dir, "b.yaml")
	if err := os.WriteFile(a, []byte("apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(b, []byte("apiVersion: v1\nkind: Namespace\nmetadata: {name: b1}\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: b2}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	// the judge sees one group at a time and names how many objects it held
	judge := func(objects []Object) ([]Verdict, error) {
		var out []Verdict
		for _, o := range objects {
			out = append(out, Verdict{Kind: o.Kind, Name: o.Name, Message: fmt.Sprint(len(objects))})
		}
		return out, nil
	}
	var got []string
	emit := func(group string, v Verdict) { got = append(got, filepath.Base(group)+":"+v.Name+":"+v.Message) }

	if err := JudgeGroups([]string{dir}, true, judge, emit); err != nil {
		t.Fatal(err)
	}
	if want := "a.yaml:a:1 b.yaml:b1:2 b.yaml:b2:2"; strings.Join(got, " ") != want {
		t.Fatalf("each file: got %v, want %s", got, want)
	}
	got = nil
	if err := JudgeGroups([]string{dir}, false, judge, emit); err != nil {
		t.Fatal(err)
	}
	if want := ".:a:3 .:b1:3 .:b2:3"; strings.Join(got, " ") != want {
		t.Fatalf("one group: got %v, want %s", got, want)
	}
}

func TestJudgeGroupsStopsAtAJudgeError(t *testing.T) {
	dir := t.TempDir()
	f := filepath.Join(dir, "a.yaml")
	if err := os.WriteFile(f, []byte("apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	emitted := 0
	err := JudgeGroups([]string{f}, true, func([]Object) ([]Verdict, error) {
		return []Verdict{{Kind: "Namespace"}}, errors.New("broken CR")
	}, func(string, Verdict) { emitted++ })
	if err == nil || err.Error() != "broken CR" || emitted != 0 {
		t.Fatalf("expected the judge's error and no verdict, got %v after %d verdicts", err, emitted)
	}
}

// wantList fails the test unless list succeeded with the values want (comma-separated).
func wantList(t *testing.T, what string, got []string, err error, want string) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	if strings.Join(got, ",") != want {
		t.Fatalf("%s: got %v, want %s", what, got, want)
	}
}

func writeFile(t *testing.T, file, text string) {
	t.Helper()
	if err := os.WriteFile(file, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestStringConstants(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "p.go"), "package p\n\ntype Mode string\ntype Other string\n\nconst (\n\tB Mode = \"b\"\n\tA Mode = \"a\"\n\tX Other = \"x\"\n)\n\nconst C, D Mode = \"c\", VirtIO\n\nconst VirtIO = \"virtio\"\n")
	writeFile(t, filepath.Join(dir, "p_test.go"), "package p\n\nconst T Mode = \"t\"\n")
	got, err := StringConstants(dir, "Mode")
	wantList(t, "constants of Mode", got, err, "a,b,c,virtio")
	got, err = StringConstants(dir, "")
	wantList(t, "every string constant", got, err, "a,b,c,virtio,x")
	if v, err := ConstantNamed(dir, "D"); err != nil || v != "virtio" {
		t.Fatalf("constant D: got %q, %v, want virtio", v, err)
	}
	if _, err := ConstantNamed(dir, "Nope"); err == nil {
		t.Fatal("a missing constant must be an error")
	}
	if _, err := StringConstants(dir, "Missing"); err == nil {
		t.Fatal("a type without constants must be an error")
	}
}

func TestJSONFields(t *testing.T) {
	type inner struct {
		C string `json:"c,omitempty"`
	}
	type source struct {
		B      *string `json:"b,omitempty"`
		A      *string `json:"a"`
		Hidden string  `json:"-"`
		plain  string
		inner
	}
	_ = source{}.plain
	if got := strings.Join(JSONFields(reflect.TypeOf(source{})), ","); got != "a,b,c" {
		t.Fatalf("got %s, want a,b,c", got)
	}
}

func TestCaseStrings(t *testing.T) {
	file := filepath.Join(t.TempDir(), "m.go")
	writeFile(t, file, "package m\n\nfunc mode(s string) int {\n\tswitch s {\n\tcase \"\", \"bridge\":\n\t\treturn 1\n\tcase \"vepa\":\n\t\treturn 2\n\t}\n\treturn 0\n}\n\nfunc other(s string) {\n\tswitch s {\n\tcase \"x\":\n\t}\n}\n")
	got, err := CaseStrings(file, "mode")
	wantList(t, "cases of mode", got, err, "bridge,vepa")
	if _, err := CaseStrings(file, "missing"); err == nil {
		t.Fatal("a function without string cases must be an error")
	}
}

func TestDeclaredStrings(t *testing.T) {
	root := t.TempDir()
	for _, d := range []string{"a", "a/b", "testdata"} {
		if err := os.MkdirAll(filepath.Join(root, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	writeFile(t, filepath.Join(root, "a", "a.go"), "package a\n\nconst (\n\tGroup = \"x.io\"\n\tAnn = Group + \"/key\"\n\tN = 3\n)\n")
	writeFile(t, filepath.Join(root, "a", "b", "b.go"), "package b\n\nconst K = (\"y.io/\" + \"k\")\n")
	writeFile(t, filepath.Join(root, "testdata", "t.go"), "package t\n\nconst T = \"t.io/t\"\n")
	got, err := DeclaredStrings(root)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"x.io": "a", "x.io/key": "a", "y.io/k": "a/b"}
	if len(got) != len(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Fatalf("got %v, want %v", got, want)
		}
	}
}
