package main

import (
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/argoproj/argo-cd/v3/pkg/apis/application/v1alpha1"
)

func runSamples(args []string) error {
	fs := flag.NewFlagSet("samples", flag.ExitOnError)
	markdown := fs.String("markdown", "", "write the matrix as a Markdown table to this file")
	_ = fs.Parse(args)
	if fs.NArg() != 2 {
		usage()
	}
	overrides, err := overridesFrom(fs.Arg(0))
	if err != nil {
		return err
	}
	samples, err := readSamples(fs.Arg(1))
	if err != nil {
		return err
	}
	builtIn := map[string]v1alpha1.ResourceOverride{}
	var table strings.Builder
	table.WriteString("| kind | state | Argo CD v3.2.12 alone | with the health pack |\n|---|---|---|---|\n")
	bad, changed := 0, 0
	for _, s := range samples {
		before, _, err := judge(s.obj, builtIn)
		if err != nil {
			return fmt.Errorf("%s (built-in checks): %w", s.file, err)
		}
		after, msg, err := judge(s.obj, overrides)
		if err != nil {
			return fmt.Errorf("%s: %w", s.file, err)
		}
		verdict := "ok"
		if after != s.expect {
			verdict = "MISMATCH, expected " + s.expect
			bad++
		}
		if before != after {
			changed++
		}
		fmt.Printf("%-50s %-34s before %-11s after %-11s %s (%s)\n", s.dir, s.state, before, after, verdict, msg)
		cell := after
		if before != after {
			cell = "**" + after + "**"
		}
		fmt.Fprintf(&table, "| %s | %s | %s | %s |\n", strings.Replace(s.dir, "_", " ", 1), s.state, before, cell)
	}
	fmt.Printf("%d samples, %d judged otherwise than by Argo CD's built-in checks, %d mismatches\n", len(samples), changed, bad)
	if *markdown != "" {
		if err := os.WriteFile(*markdown, []byte(table.String()), 0o644); err != nil {
			return err
		}
	}
	if bad > 0 {
		return fmt.Errorf("%d samples are not judged as expected", bad)
	}
	return nil
}
