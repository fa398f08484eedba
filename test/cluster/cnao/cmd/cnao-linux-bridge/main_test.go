package main

import (
	"strings"
	"testing"
)

func TestRendersTheDaemonSetInTheNamespaceGiven(t *testing.T) {
	objects, err := linuxBridge(values("cni"))
	if err != nil {
		t.Fatal(err)
	}
	if len(objects) != 1 {
		t.Fatalf("want the DaemonSet only, got %d objects", len(objects))
	}
	meta := objects[0]["metadata"].(map[string]interface{})
	if objects[0]["kind"] != "DaemonSet" || meta["name"] != "kube-cni-linux-bridge-plugin" || meta["namespace"] != "cni" {
		t.Fatalf("unexpected object %v %v", objects[0]["kind"], meta)
	}
	spec := objects[0]["spec"].(map[string]interface{})["template"].(map[string]interface{})["spec"].(map[string]interface{})
	image := spec["containers"].([]interface{})[0].(map[string]interface{})["image"]
	if image != linuxBridgeImage {
		t.Fatalf("image %v, want %s", image, linuxBridgeImage)
	}
}

// The operator's render package refuses a template value it is not given.
func TestRefusesAMissingValue(t *testing.T) {
	data := values("cni")
	delete(data, "CNIBinDir")
	_, err := linuxBridge(data)
	if err == nil || !strings.Contains(err.Error(), `map has no entry for key "CNIBinDir"`) {
		t.Fatalf("want the template's missing-key error, got %v", err)
	}
}
