package controlplane

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"os"
)

// WriteKubeconfig writes the plane's admin credentials as a kubeconfig
// (JSON, which every kubeconfig reader accepts), readable by its owner only.
func (p *Plane) WriteKubeconfig(file string) error {
	if p.Host == "" {
		return errors.New("the control plane has not started")
	}
	b64 := base64.StdEncoding.EncodeToString
	cfg := map[string]interface{}{
		"apiVersion": "v1",
		"kind":       "Config",
		"clusters": []interface{}{map[string]interface{}{
			"name":    "check-cluster",
			"cluster": map[string]interface{}{"server": p.Host, "certificate-authority-data": b64(p.CAPEM)},
		}},
		"users": []interface{}{map[string]interface{}{
			"name": AdminUser,
			"user": map[string]interface{}{"client-certificate-data": b64(p.CertPEM), "client-key-data": b64(p.KeyPEM)},
		}},
		"contexts": []interface{}{map[string]interface{}{
			"name":    "check-cluster",
			"context": map[string]interface{}{"cluster": "check-cluster", "user": AdminUser},
		}},
		"current-context": "check-cluster",
	}
	body, err := json.MarshalIndent(cfg, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(file, append(body, '\n'), 0o600)
}
