package manifests

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
)

// Mutation is one mutating webhook's answer for one object, as the API
// server meets it on create: the RFC 6902 patch it applies before storing
// the object, or why the webhook refused it.
type Mutation struct {
	Kind      string          `json:"kind"`
	Namespace string          `json:"namespace"`
	Name      string          `json:"name"`
	Mutator   string          `json:"mutator"`
	Patch     json.RawMessage `json:"patch,omitempty"`
	Allowed   bool            `json:"allowed"`
	Message   string          `json:"message,omitempty"`
	// Assumed names the platform the object was mutated against when the
	// input holds none (see Verdict.Assumed).
	Assumed string `json:"assumed,omitempty"`
}

// Mutate runs the webhooks on the objects of one group and returns their
// answers in input order.
type Mutate func(objects []Object) ([]Mutation, error)

// MutationMain is the whole run of a mutation tool: it parses the flags
// (--each-file, and those the tool defined on fs), asks newMutate for the
// function those flags make, runs it on every group of the inputs and
// prints one JSON line per answer (naming its file with --each-file). A
// usage error or a failed run exits with status 2.
func MutationMain(fs *flag.FlagSet, args []string, newMutate func() (Mutate, error)) {
	KeepStdout()
	eachFile := fs.Bool("each-file", false, "take each file alone (its own KubeVirt or CDI CR, as on a cluster of its own); each line names its file")
	fs.SetOutput(io.Discard)
	if err := fs.Parse(args); err != nil {
		Fail(fmt.Errorf("%w (usage: %s [flags] <files or folders of YAML>...)", err, fs.Name()))
	}
	mutate, err := newMutate()
	if err != nil {
		Fail(err)
	}
	names, groups, err := GroupFiles(fs.Args(), *eachFile)
	if err != nil {
		Fail(err)
	}
	for i, objects := range groups {
		out, err := mutate(objects)
		if err != nil {
			Fail(err)
		}
		for _, m := range out {
			Emit(names[i], m)
		}
	}
}
