package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
)

// doc is one object of the input, with where it came from.
type doc struct {
	file  string
	index int
	obj   *unstructured.Unstructured
}

// group is a set of documents checked together, in order, on one cluster
// state: all inputs at once, or one file when each file stands alone.
type group struct {
	name  string
	files []string
	docs  []doc
}

// expandInputs turns the arguments into a list of files: a file as given, a
// folder as every .yaml/.yml/.json file under it in lexical order.
func expandInputs(args []string) ([]string, error) {
	var files []string
	for _, a := range args {
		st, err := os.Stat(a)
		if err != nil {
			return nil, err
		}
		if !st.IsDir() {
			files = append(files, a)
			continue
		}
		err = filepath.WalkDir(a, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() {
				return nil
			}
			switch strings.ToLower(filepath.Ext(path)) {
			case ".yaml", ".yml", ".json":
				files = append(files, path)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return files, nil
}

// readFile reads every non-empty document of a YAML (or JSON) stream.
func readFile(path string) ([]doc, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	r := utilyaml.NewYAMLReader(bufio.NewReader(bytes.NewReader(data)))
	var docs []doc
	for i := 0; ; i++ {
		raw, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s: document %d: %w", path, i+1, err)
		}
		js, err := utilyaml.ToJSON(raw)
		if err != nil {
			return nil, fmt.Errorf("%s: document %d: %w", path, i+1, err)
		}
		if len(bytes.TrimSpace(js)) == 0 || string(bytes.TrimSpace(js)) == "null" {
			continue
		}
		obj := &unstructured.Unstructured{}
		if err := obj.UnmarshalJSON(js); err != nil {
			return nil, fmt.Errorf("%s: document %d: %w", path, i+1, err)
		}
		docs = append(docs, doc{file: path, index: i + 1, obj: obj})
	}
	return docs, nil
}

// readGroups reads the files into one group, or one group per file.
func readGroups(files []string, eachFile bool) ([]group, error) {
	var groups []group
	all := group{name: "input"}
	for _, f := range files {
		docs, err := readFile(f)
		if err != nil {
			return nil, err
		}
		if eachFile {
			groups = append(groups, group{name: f, files: []string{f}, docs: docs})
			continue
		}
		all.files = append(all.files, f)
		all.docs = append(all.docs, docs...)
	}
	if !eachFile {
		groups = append(groups, all)
	}
	return groups, nil
}
