// Command cri-standin listens on a unix socket where a node's container
// runtime would, speaking HTTP/2 without TLS as a gRPC client expects, and
// logs each connection and call. It stands in for the CRI socket when the
// policy agent runs in a mount namespace: it shows which path the agent dials.
//
//	go run ./test/conformance/nodeparts/cri-standin <socket path>
package main

import (
	"log"
	"net"
	"net/http"
	"os"
	"path/filepath"
)

func main() {
	if len(os.Args) != 2 {
		log.Fatal("usage: cri-standin <socket path>")
	}
	path := os.Args[1]
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		log.Fatal(err)
	}
	_ = os.Remove(path)
	l, err := net.Listen("unix", path)
	if err != nil {
		log.Fatal(err)
	}
	protocols := new(http.Protocols)
	protocols.SetUnencryptedHTTP2(true)
	srv := &http.Server{
		Protocols: protocols,
		ConnState: func(_ net.Conn, s http.ConnState) {
			if s == http.StateNew {
				log.Printf("cri-standin: connection on %s", path)
			}
		},
		// Every call is answered with gRPC status 12 (unimplemented).
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			log.Printf("cri-standin: call %s", r.URL.Path)
			w.Header().Set("Content-Type", "application/grpc")
			w.Header().Set("Grpc-Status", "12")
			w.WriteHeader(http.StatusOK)
		}),
	}
	log.Printf("cri-standin: listening on %s", path)
	log.Fatal(srv.Serve(l))
}
