// Command etcd is the etcd server of the pinned release, built from the Go
// module proxy as the storage of the test control plane.
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() {
	etcdmain.Main(os.Args)
}
