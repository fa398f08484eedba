package manifests

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"runtime/debug"
)

// ModuleDir returns the folder where the go command keeps the version of
// module this binary was built with (the binary must link one of its
// packages), downloading it when needed.
func ModuleDir(module string) (string, error) {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "", fmt.Errorf("no build information in this binary")
	}
	version := ""
	for _, dep := range info.Deps {
		if dep.Path == module {
			version = dep.Version
			if dep.Replace != nil {
				version = dep.Replace.Version
			}
		}
	}
	if version == "" {
		return "", fmt.Errorf("%s is not linked into this binary", module)
	}
	return DownloadModule(module, version)
}

// DownloadModule returns the folder where the go command keeps the given
// version of a module, downloading it when needed.
func DownloadModule(module, version string) (string, error) {
	cmd := exec.Command("go", "mod", "download", "-json", module+"@"+version)
	cmd.Stderr = os.Stderr
	data, err := cmd.Output()
	var m struct{ Dir, Error string }
	if jerr := json.Unmarshal(data, &m); jerr == nil && m.Error != "" {
		return "", fmt.Errorf("go mod download %s@%s: %s", module, version, m.Error)
	}
	if err != nil {
		return "", fmt.Errorf("go mod download %s@%s: %w", module, version, err)
	}
	return m.Dir, nil
}
