// Command cdi-feature-gates prints the feature gates of the CDI module this
// tool is built with, one name per line, sorted. CDI keeps no registry of
// its gates: they are the string constants of its feature-gates package, so
// the tool finds that package's source in the module cache (the version is
// read from the tool's own build information, as go.mod pins it) and reads
// the constants with go/parser. The TypeScript catalogue in
// src/platform/feature-gate.ts is compared with this list in CI.
//
//	cdi-feature-gates
package main

import (
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"

	// linked so that the build information names the pinned CDI module
	_ "kubevirt.io/containerized-data-importer/pkg/feature-gates"
)

const (
	cdiModule  = "kubevirt.io/containerized-data-importer"
	gatePkgDir = "pkg/feature-gates"
)

// moduleVersion is the CDI version the tool was built with.
func moduleVersion() (string, error) {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "", fmt.Errorf("no build information in the binary")
	}
	for _, dep := range info.Deps {
		if dep.Path == cdiModule {
			if dep.Replace != nil {
				return dep.Replace.Version, nil
			}
			return dep.Version, nil
		}
	}
	return "", fmt.Errorf("%s is not a dependency of this build", cdiModule)
}

// moduleDir asks the go command where the module's source is.
func moduleDir(version string) (string, error) {
	out, err := exec.Command("go", "mod", "download", "-json", cdiModule+"@"+version).Output()
	if err != nil {
		return "", fmt.Errorf("go mod download %s@%s: %v", cdiModule, version, err)
	}
	var m struct{ Dir, Error string }
	if err := json.Unmarshal(out, &m); err != nil {
		return "", err
	}
	if m.Error != "" {
		return "", fmt.Errorf("%s", m.Error)
	}
	return m.Dir, nil
}

// gateNames returns the string constants of the package's non-test files.
func gateNames(dir string) ([]string, error) {
	fset := token.NewFileSet()
	pkgs, err := parser.ParseDir(fset, dir, func(fi os.FileInfo) bool { return !strings.HasSuffix(fi.Name(), "_test.go") }, 0)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, pkg := range pkgs {
		for _, file := range pkg.Files {
			for _, decl := range file.Decls {
				gen, ok := decl.(*ast.GenDecl)
				if !ok || gen.Tok != token.CONST {
					continue
				}
				for _, spec := range gen.Specs {
					vs := spec.(*ast.ValueSpec)
					for _, v := range vs.Values {
						lit, ok := v.(*ast.BasicLit)
						if !ok || lit.Kind != token.STRING {
							continue
						}
						value, err := strconv.Unquote(lit.Value)
						if err != nil {
							return nil, err
						}
						names = append(names, value)
					}
				}
			}
		}
	}
	sort.Strings(names)
	return names, nil
}

func main() {
	version, err := moduleVersion()
	if err == nil {
		var dir string
		dir, err = moduleDir(version)
		if err == nil {
			var names []string
			names, err = gateNames(filepath.Join(dir, gatePkgDir))
			if err == nil {
				fmt.Printf("# %s %s\n", cdiModule, version)
				for _, n := range names {
					fmt.Println(n)
				}
				return
			}
		}
	}
	fmt.Fprintf(os.Stderr, "cdi-feature-gates: %v\n", err)
	os.Exit(1)
}
