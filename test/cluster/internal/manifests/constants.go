package manifests

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// StringConstants returns the values of every constant of the named string
// type declared in the Go package whose source is in dir (test files left
// out), sorted and without repeats: the members of an upstream enum as its
// source declares them, so a member added or removed upstream shows. With
// typeName "", every constant whose value is a string literal, typed or
// not (a package of string constants without a type of their own).
func StringConstants(dir, typeName string) ([]string, error) {
	fset, values, specs, err := packageConstants(dir)
	if err != nil {
		return nil, err
	}
	var typed []*ast.ValueSpec
	for _, vs := range specs {
		if typeName == "" {
			typed = append(typed, literalsOnly(vs))
		} else if id, ok := vs.Type.(*ast.Ident); ok && id.Name == typeName {
			if len(vs.Values) != len(vs.Names) {
				return nil, fmt.Errorf("%s: constants of %s without a value of their own", fset.Position(vs.Pos()), typeName)
			}
			typed = append(typed, vs)
		}
	}
	seen := map[string]bool{}
	for _, vs := range typed {
		for _, v := range vs.Values {
			s, err := stringValue(v, values, 0)
			if err != nil {
				return nil, fmt.Errorf("%s: a constant of %s: %w", fset.Position(v.Pos()), typeName, err)
			}
			seen[s] = true
		}
	}
	if len(seen) == 0 {
		return nil, fmt.Errorf("no constant of type %s in %s", typeName, dir)
	}
	out := make([]string, 0, len(seen))
	for s := range seen {
		out = append(out, s)
	}
	sort.Strings(out)
	return out, nil
}

// packageConstants parses the non-test Go files of a package folder and
// returns every constant's value expression by name, and the const specs.
func packageConstants(dir string) (*token.FileSet, map[string]ast.Expr, []*ast.ValueSpec, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, nil, nil, err
	}
	fset := token.NewFileSet()
	values := map[string]ast.Expr{}
	var specs []*ast.ValueSpec
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		file, err := parser.ParseFile(fset, filepath.Join(dir, name), nil, parser.SkipObjectResolution)
		if err != nil {
			return nil, nil, nil, err
		}
		for _, decl := range file.Decls {
			gen, ok := decl.(*ast.GenDecl)
			if !ok || gen.Tok != token.CONST {
				continue
			}
			for _, spec := range gen.Specs {
				vs := spec.(*ast.ValueSpec)
				for i, n := range vs.Names {
					if i < len(vs.Values) {
						values[n.Name] = vs.Values[i]
					}
				}
				specs = append(specs, vs)
			}
		}
	}
	return fset, values, specs, nil
}

// DeclaredStrings walks the Go packages under root (test files, testdata
// and vendor folders left out) and returns, for every string value a
// package constant has (string literals, other constants of the package
// and their concatenations), the folder of the first package that declares
// it, relative to root.
func DeclaredStrings(root string) (map[string]string, error) {
	out := map[string]string{}
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			return nil
		}
		if name := d.Name(); path != root && (name == "testdata" || name == "vendor" || strings.HasPrefix(name, ".")) {
			return filepath.SkipDir
		}
		_, values, _, err := packageConstants(path)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		for _, v := range values {
			if s, err := stringValue(v, values, 0); err == nil {
				if _, seen := out[s]; !seen {
					out[s] = filepath.ToSlash(rel)
				}
			}
		}
		return nil
	})
	return out, err
}

// stringValue is the value of a string literal, of the package constant an
// identifier names, or of a concatenation of those.
func stringValue(e ast.Expr, values map[string]ast.Expr, depth int) (string, error) {
	switch x := e.(type) {
	case *ast.BinaryExpr:
		if x.Op == token.ADD && depth < 10 {
			left, err := stringValue(x.X, values, depth+1)
			if err != nil {
				return "", err
			}
			right, err := stringValue(x.Y, values, depth+1)
			return left + right, err
		}
	case *ast.ParenExpr:
		return stringValue(x.X, values, depth+1)
	case *ast.BasicLit:
		if x.Kind == token.STRING {
			return strconv.Unquote(x.Value)
		}
	case *ast.Ident:
		if v, ok := values[x.Name]; ok && depth < 10 {
			return stringValue(v, values, depth+1)
		}
	}
	return "", fmt.Errorf("not a string literal or a constant of the package that is one")
}

// literalsOnly is the spec with only its string literal values.
func literalsOnly(vs *ast.ValueSpec) *ast.ValueSpec {
	out := &ast.ValueSpec{}
	for _, v := range vs.Values {
		if lit, ok := v.(*ast.BasicLit); ok && lit.Kind == token.STRING {
			out.Values = append(out.Values, lit)
		}
	}
	return out
}

// CaseStrings lists the non-empty string literals of the case clauses of
// the switch statements of a function of a Go file: the values an upstream
// parser accepts (say, a plugin's modes) as its source spells them.
func CaseStrings(file, function string) ([]string, error) {
	f, err := parser.ParseFile(token.NewFileSet(), file, nil, parser.SkipObjectResolution)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, decl := range f.Decls {
		fn, ok := decl.(*ast.FuncDecl)
		if !ok || fn.Name.Name != function || fn.Body == nil {
			continue
		}
		ast.Inspect(fn.Body, func(n ast.Node) bool {
			cc, ok := n.(*ast.CaseClause)
			if !ok {
				return true
			}
			for _, e := range cc.List {
				if lit, ok := e.(*ast.BasicLit); ok && lit.Kind == token.STRING {
					if s, err := strconv.Unquote(lit.Value); err == nil && s != "" {
						out = append(out, s)
					}
				}
			}
			return true
		})
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no string case in %s of %s", function, file)
	}
	return out, nil
}

// PrintDeclared writes "declared <key> <package>" for each of the
// comma-separated keys: the first package, under the given folders (module,
// folder) of the modules this binary links, that declares the key as a
// string constant, or "-" when none does. Nothing for no keys.
func PrintDeclared(w io.Writer, keys string, roots [][2]string) error {
	if keys == "" {
		return nil
	}
	found := map[string]string{}
	for _, at := range roots {
		dir, err := ModuleDir(at[0])
		if err != nil {
			return err
		}
		declared, err := DeclaredStrings(filepath.Join(dir, at[1]))
		if err != nil {
			return err
		}
		for value, pkg := range declared {
			if _, ok := found[value]; !ok {
				found[value] = strings.TrimSuffix(at[0]+"/"+filepath.ToSlash(filepath.Join(at[1], pkg)), "/.")
			}
		}
	}
	for _, key := range strings.Split(keys, ",") {
		where, ok := found[key]
		if !ok {
			where = "-"
		}
		if _, err := fmt.Fprintf(w, "declared %s %s\n", key, where); err != nil {
			return err
		}
	}
	return nil
}

// ConstantNamed returns the string value of the named constant of the Go
// package whose source is in dir (a default an upstream program keeps).
func ConstantNamed(dir, name string) (string, error) {
	_, values, _, err := packageConstants(dir)
	if err != nil {
		return "", err
	}
	v, ok := values[name]
	if !ok {
		return "", fmt.Errorf("no constant %s in %s", name, dir)
	}
	return stringValue(v, values, 0)
}
