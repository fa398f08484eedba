package manifests

import (
	"flag"
	"fmt"
	"io"
)

// Judge judges the objects of one group, each as its creation would be
// judged, and returns the verdicts in input order.
type Judge func(objects []Object) ([]Verdict, error)

// JudgeGroups judges every group of the inputs with judge and hands each
// verdict to emit with the name of its group (see GroupFiles).
func JudgeGroups(args []string, eachFile bool, judge Judge, emit func(group string, v Verdict)) error {
	names, groups, err := GroupFiles(args, eachFile)
	if err != nil {
		return err
	}
	for i, objects := range groups {
		verdicts, err := judge(objects)
		if err != nil {
			return err
		}
		for _, v := range verdicts {
			emit(names[i], v)
		}
	}
	return nil
}

// AdmissionMain is the whole run of an admission tool: it parses the flags
// (--each-file, and those the tool defined on fs), asks newJudge for the
// judge those flags make, judges the inputs and prints one JSON verdict a
// line. A usage error or a failed run exits with status 2.
//
//	<tool> [--each-file] [tool flags] <files or folders of YAML>...
func AdmissionMain(fs *flag.FlagSet, args []string, newJudge func() (Judge, error)) {
	KeepStdout()
	eachFile := fs.Bool("each-file", false, "judge each file alone (its own KubeVirt or CDI CR, as on a cluster of its own); each verdict names its file")
	fs.SetOutput(io.Discard)
	if err := fs.Parse(args); err != nil {
		Fail(fmt.Errorf("%w (usage: %s [flags] <files or folders of YAML>...)", err, fs.Name()))
	}
	judge, err := newJudge()
	if err != nil {
		Fail(err)
	}
	emit := func(group string, v Verdict) { Emit(group, v) }
	if err := JudgeGroups(fs.Args(), *eachFile, judge, emit); err != nil {
		Fail(err)
	}
}
