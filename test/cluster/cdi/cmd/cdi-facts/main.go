// Command cdi-facts prints upstream facts about CDI's storage handling that
// the TypeScript library keeps by hand (src/storage/private/
// storage-class-profile-rules.ts), read from CDI's own packages at the pinned
// version, one "<fact> <value>" per line. CI compares them with the
// library (test/platform/upstream-facts.test.ts).
//
//	cdi-facts [--overheads 0,0.06,...] [--sizes 1,1048576,...] [--checksums md5:...,...] [--schedules '0 3 * * *<newline>...'] [--declared key,...]
//
// Facts:
//   - default-filesystem-overhead: CDIConfig's global overhead when none is
//     set (pkg/common DefaultGlobalOverhead);
//   - align-block-size: what CDI aligns an image to before padding it
//     (pkg/util DefaultAlignBlockSize);
//   - valid-overhead <overhead>: whether CDI's config controller accepts
//     that CDIConfig filesystemOverhead (pkg/controller validOverhead);
//   - required-space <overhead> <bytes>: the size CDI asks for when it puts
//     an image of that many bytes on a Filesystem volume (pkg/util
//     GetRequiredSpace, which InflateSizeWithOverhead calls), for every
//     valid overhead and size given;
//   - valid-checksum <checksum>: whether CDI's DataVolume webhook takes that
//     http source checksum (pkg/util/checksum ParseAndValidate, which
//     webhooks validateChecksum calls), for every checksum given;
//   - valid-schedule <schedule>: whether CDI's DataImportCron webhook takes
//     that schedule (robfig/cron v3 ParseStandard, which
//     dataimportcron-validate.go calls), for every schedule given (one a
//     line, as schedules hold commas);
//   - declared <key> <package>: with --declared, the package of the CDI API
//     or CDI's pkg that declares each key as a string constant ("-" when
//     none does);
//   - enum v1beta1.<Type>: every constant of that string type in the pinned
//     API module's source (comma-separated, sorted);
//   - fields v1beta1.<Type>: the JSON names of the struct's fields (the
//     members of a one-of such as DataVolumeSource).
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	_ "unsafe" // go:linkname below

	"github.com/robfig/cron/v3"
	cdiv1 "kubevirt.io/containerized-data-importer-api/pkg/apis/core/v1beta1"
	"kubevirt.io/containerized-data-importer/pkg/common"
	_ "kubevirt.io/containerized-data-importer/pkg/controller"
	"kubevirt.io/containerized-data-importer/pkg/util"
	"kubevirt.io/containerized-data-importer/pkg/util/checksum"

	"cdk8s-kubevirt/test/cluster/internal/manifests"
)

// The config controller's check of filesystemOverhead has no exported
// accessor; it is called as it is linked into this binary.
// pkg/controller/config-controller.go validOverhead
//
//go:linkname validOverhead kubevirt.io/containerized-data-importer/pkg/controller.validOverhead
func validOverhead(overhead cdiv1.Percent) (bool, error)

const apiModule = "kubevirt.io/containerized-data-importer-api"

// String types of the CDI API whose constants the library mirrors.
var enums = []string{"CDICloneStrategy", "DataImportCronGarbageCollect", "DataVolumeContentType", "RegistryPullMethod"}

func main() {
	fs := flag.NewFlagSet("cdi-facts", flag.ContinueOnError)
	overheads := fs.String("overheads", "", "comma-separated CDIConfig filesystemOverhead values to judge and pad with")
	sizes := fs.String("sizes", "", "comma-separated image sizes in bytes to pad")
	checksums := fs.String("checksums", "", "comma-separated http source checksums to judge")
	schedules := fs.String("schedules", "", "DataImportCron schedules to judge, one a line")
	declared := fs.String("declared", "", "comma-separated annotation and label keys to look up among the string constants of the CDI API and CDI's pkg")
	if err := fs.Parse(os.Args[1:]); err != nil {
		manifests.Fail(err)
	}
	fmt.Printf("default-filesystem-overhead %s\n", common.DefaultGlobalOverhead)
	fmt.Printf("align-block-size %d\n", util.DefaultAlignBlockSize)
	for _, c := range split(*checksums) {
		_, _, err := checksum.ParseAndValidate(c)
		fmt.Printf("valid-checksum %s %t\n", c, err == nil)
	}
	if err := manifests.PrintDeclared(os.Stdout, *declared, [][2]string{{apiModule, ""}, {"kubevirt.io/containerized-data-importer", "pkg"}}); err != nil {
		manifests.Fail(err)
	}
	if *schedules != "" {
		for _, schedule := range strings.Split(*schedules, "\n") {
			_, err := cron.ParseStandard(schedule)
			fmt.Printf("valid-schedule %s %t\n", schedule, err == nil)
		}
	}
	dir, err := manifests.ModuleDir(apiModule)
	if err != nil {
		manifests.Fail(err)
	}
	for _, t := range enums {
		values, err := manifests.StringConstants(filepath.Join(dir, "pkg/apis/core/v1beta1"), t)
		if err != nil {
			manifests.Fail(err)
		}
		fmt.Printf("enum v1beta1.%s %s\n", t, strings.Join(values, ","))
	}
	fmt.Printf("fields v1beta1.DataVolumeSource %s\n", strings.Join(manifests.JSONFields(reflect.TypeOf(cdiv1.DataVolumeSource{})), ","))
	for _, o := range split(*overheads) {
		valid, err := validOverhead(cdiv1.Percent(o))
		if err != nil {
			manifests.Fail(err)
		}
		fmt.Printf("valid-overhead %s %t\n", o, valid)
		if !valid {
			continue
		}
		fraction, err := strconv.ParseFloat(o, 64)
		if err != nil {
			manifests.Fail(err)
		}
		for _, s := range split(*sizes) {
			bytes, err := strconv.ParseInt(s, 10, 64)
			if err != nil {
				manifests.Fail(err)
			}
			fmt.Printf("required-space %s %d %d\n", o, bytes, util.GetRequiredSpace(fraction, bytes))
		}
	}
}

func split(list string) []string {
	if list == "" {
		return nil
	}
	return strings.Split(list, ",")
}
