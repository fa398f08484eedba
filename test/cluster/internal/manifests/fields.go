package manifests

import (
	"reflect"
	"sort"
	"strings"
)

// JSONFields lists the JSON names of a struct type's fields, sorted, with
// the fields of embedded structs that have no name of their own inline: the
// members of an upstream one-of (such as a volume source) as its Go type
// declares them.
func JSONFields(t reflect.Type) []string {
	var out []string
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name := strings.Split(f.Tag.Get("json"), ",")[0]
		if f.Anonymous && name == "" {
			out = append(out, JSONFields(f.Type)...)
			continue
		}
		if name != "" && name != "-" {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}
