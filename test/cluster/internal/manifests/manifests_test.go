package manifests

import "testing"

func TestParseKeepsDocumentOrderAndSkipsEmptyDocuments(t *testing.T) {
	objects, err := Parse("x.yaml", []byte("---\napiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n---\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: b, namespace: a}\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(objects) != 2 || objects[0].Name != "a" || objects[1].Kind != "Deployment" || objects[1].Group() != "apps" || objects[1].Index != 3 {
		t.Fatalf("unexpected objects %+v", objects)
	}
}

func TestParseRefusesMalformedYAML(t *testing.T) {
	if _, err := Parse("x.yaml", []byte("kind: [unclosed\n")); err == nil {
		t.Fatal("expected an error")
	}
}
