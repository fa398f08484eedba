// Package manifests reads Kubernetes objects from YAML files the way a GitOps
// tool applies them (file order, then document order) and prints the verdicts
// of the admission and RBAC tools, one JSON line each.
package manifests

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"sigs.k8s.io/yaml"
)

// Object is one document of the input.
type Object struct {
	// File and Index say where the document came from (Index counts from 0).
	File  string
	Index int
	// JSON is the document converted to JSON.
	JSON       []byte
	APIVersion string
	Kind       string
	Namespace  string
	Name       string
}

type header struct {
	APIVersion string `json:"apiVersion"`
	Kind       string `json:"kind"`
	Metadata   struct {
		Name      string `json:"name"`
		Namespace string `json:"namespace"`
	} `json:"metadata"`
}

// Group returns the API group of the object ("" for the core group).
func (o Object) Group() string {
	if i := strings.Index(o.APIVersion, "/"); i >= 0 {
		return o.APIVersion[:i]
	}
	return ""
}

// Files expands the arguments: a folder stands for every *.yaml and *.yml
// file below it, in lexical order of their paths.
func Files(args []string) ([]string, error) {
	var out []string
	for _, arg := range args {
		info, err := os.Stat(arg)
		if err != nil {
			return nil, err
		}
		if !info.IsDir() {
			out = append(out, arg)
			continue
		}
		var found []string
		err = filepath.WalkDir(arg, func(path string, d os.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !d.IsDir() && (strings.HasSuffix(path, ".yaml") || strings.HasSuffix(path, ".yml")) {
				found = append(found, path)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		sort.Strings(found)
		out = append(out, found...)
	}
	return out, nil
}

// Read returns every non-empty document of the files or folders given.
func Read(args []string) ([]Object, error) {
	files, err := Files(args)
	if err != nil {
		return nil, err
	}
	var objects []Object
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			return nil, err
		}
		found, err := Parse(file, data)
		if err != nil {
			return nil, err
		}
		objects = append(objects, found...)
	}
	return objects, nil
}

// Parse returns every non-empty document of a YAML stream; file names it in
// the objects and errors.
func Parse(file string, data []byte) ([]Object, error) {
	docs, err := split(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	var objects []Object
	for i, doc := range docs {
		js, err := yaml.YAMLToJSON(doc)
		if err != nil {
			return nil, fmt.Errorf("%s document %d: %w", file, i, err)
		}
		if bytes.Equal(bytes.TrimSpace(js), []byte("null")) {
			continue
		}
		var h header
		if err := json.Unmarshal(js, &h); err != nil {
			return nil, fmt.Errorf("%s document %d: %w", file, i, err)
		}
		objects = append(objects, Object{
			File: file, Index: i, JSON: js,
			APIVersion: h.APIVersion, Kind: h.Kind,
			Namespace: h.Metadata.Namespace, Name: h.Metadata.Name,
		})
	}
	return objects, nil
}

// split cuts a YAML stream at its document separators.
func split(data []byte) ([][]byte, error) {
	var docs [][]byte
	var cur bytes.Buffer
	r := bufio.NewReader(bytes.NewReader(data))
	for {
		line, err := r.ReadString('\n')
		if strings.TrimRight(line, "\r\n") == "---" || strings.HasPrefix(line, "--- ") {
			docs = append(docs, append([]byte(nil), cur.Bytes()...))
			cur.Reset()
		} else {
			cur.WriteString(line)
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
	}
	docs = append(docs, cur.Bytes())
	return docs, nil
}

// Verdict is one line of an admission tool's output.
type Verdict struct {
	Kind      string `json:"kind"`
	Namespace string `json:"namespace"`
	Name      string `json:"name"`
	Check     string `json:"check"`
	Allowed   bool   `json:"allowed"`
	Message   string `json:"message"`
	// Assumed names the platform the object was judged against when the
	// input holds none (the KubeVirt of --assume-kubevirt); empty when it
	// was judged against the input's own.
	Assumed string `json:"assumed,omitempty"`
}

// Grant is one line of an operator-RBAC tool's output: an object the
// operator's service account creates.
type Grant struct {
	User   string `json:"user"`
	Object any    `json:"object"`
}

// out is where the verdicts go: the process's standard output. Upstream
// code that prints on os.Stdout is sent to standard error instead (see
// KeepStdout), so every line of out is one JSON object.
var out io.Writer = os.Stdout

// KeepStdout reserves standard output for Print: from now on, whatever the
// linked upstream code prints on os.Stdout goes to standard error.
func KeepStdout() {
	out = os.Stdout
	os.Stdout = os.Stderr
}

// NamespaceArg reads the one optional argument of a tool that prints an
// install, the namespace to put it in (defaultNamespace when none is given),
// and exits with a usage line on more arguments.
func NamespaceArg(tool, defaultNamespace string) string {
	switch len(os.Args) {
	case 1:
		return defaultNamespace
	case 2:
		return os.Args[1]
	default:
		fmt.Fprintf(os.Stderr, "usage: %s [namespace]\n", tool)
		os.Exit(2)
		return ""
	}
}

// Print writes v as one JSON line on standard output.
func Print(v any) {
	b, err := json.Marshal(v)
	if err != nil {
		Fail(err)
	}
	if _, err := fmt.Fprintln(out, string(b)); err != nil {
		Fail(err)
	}
}

// PrintIn writes v as one JSON line on standard output, with the file it
// was judged in added as "file" (the --each-file mode of the admission tools).
func PrintIn(file string, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		Fail(err)
	}
	var line map[string]any
	if err := json.Unmarshal(b, &line); err != nil {
		Fail(err)
	}
	line["file"] = file
	Print(line)
}

// GroupFiles splits the inputs of the admission tools into the groups they
// judge together: all of them as one group named "", or, with eachFile,
// each file as a group of its own named by the file (its own KubeVirt or
// CDI CR, as if applied to a cluster of its own).
func GroupFiles(args []string, eachFile bool) (names []string, groups [][]Object, err error) {
	if !eachFile {
		objects, err := Read(args)
		if err != nil {
			return nil, nil, err
		}
		return []string{""}, [][]Object{objects}, nil
	}
	files, err := Files(args)
	if err != nil {
		return nil, nil, err
	}
	for _, f := range files {
		objects, err := Read([]string{f})
		if err != nil {
			return nil, nil, err
		}
		names = append(names, f)
		groups = append(groups, objects)
	}
	return names, groups, nil
}

// Emit prints a verdict of the group named file: as Print does for the
// single group, with its file for --each-file.
func Emit(file string, v any) {
	if file == "" {
		Print(v)
		return
	}
	PrintIn(file, v)
}

// Fail reports a tool error on stderr and exits with status 2.
func Fail(err error) {
	fmt.Fprintf(os.Stderr, "%s: %v\n", filepath.Base(os.Args[0]), err)
	os.Exit(2)
}
