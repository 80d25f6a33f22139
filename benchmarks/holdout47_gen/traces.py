"""Long stack traces shared by the scenario modules."""

GO_PANIC = """{ts} http: panic serving {peer}: assignment to entry in nil map
goroutine {gid} [running]:
net/http.(*conn).serve.func1()
\t/usr/local/go/src/net/http/server.go:1898 +0xbe
panic({{0x9c2a40?, 0xbd4e10?}})
\t/usr/local/go/src/runtime/panic.go:770 +0x132
github.com/quanta-io/ingest-gateway/internal/enrich.(*Tagger).Apply(0xc0001a4d20, 0xc00a3e6b40)
\t/src/internal/enrich/tagger.go:63 +0x1f4
github.com/quanta-io/ingest-gateway/internal/server.(*Server).handleBatch(0xc000186000, {{0xbd9a18, 0xc0098d21c0}}, 0xc00b8a0d80)
\t/src/internal/server/batch.go:112 +0x4a5
net/http.HandlerFunc.ServeHTTP(0xc0008b1f80?, {{0xbd9a18?, 0xc0098d21c0?}}, 0xc00b8a0b40?)
\t/usr/local/go/src/net/http/server.go:2166 +0x29
github.com/quanta-io/ingest-gateway/internal/server.(*Server).withLogging.func1({{0xbd9a18, 0xc0098d21c0}}, 0xc00b8a0b40)
\t/src/internal/server/middleware.go:48 +0x13c
net/http.serverHandler.ServeHTTP({{0xc009f6e1b0?}}, {{0xbd9a18?, 0xc0098d21c0?}}, 0x6?)
\t/usr/local/go/src/net/http/server.go:3137 +0x8e
net/http.(*conn).serve(0xc00a5e2000, {{0xbdb2a8, 0xc0001b4f30}})
\t/usr/local/go/src/net/http/server.go:2039 +0x5e8
created by net/http.(*Server).Serve in goroutine 1
\t/usr/local/go/src/net/http/server.go:3285 +0x4b4"""
