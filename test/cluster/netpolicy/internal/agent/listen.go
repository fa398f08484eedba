package agent

import (
	"net"
	"os"
)

// listenUnix listens on a fresh unix socket at path.
func listenUnix(path string) (net.Listener, error) {
	_ = os.Remove(path)
	return net.Listen("unix", path)
}
