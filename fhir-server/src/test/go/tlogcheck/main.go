// Command tlogcheck verifies a FHIR Anchor server's transparency log with Go's reference code for signed
// notes and tiled logs (golang.org/x/mod/sumdb/note and sumdb/tlog), knowing only the log's URL prefix and
// its note verifier key. It shares no code with the server.
//
//	tlogcheck -log http://127.0.0.1:8080/log -vkey 'origin+1234abcd+AX...' [-token TOKEN] [-max-records N]
//
// It fetches <log>/checkpoint and checks its signature and origin, recomputes the root from tiles
// (<log>/tile/<L>/<N>[.p/<W>], c2sp.org/tlog-tiles paths), checks inclusion proofs for the records and
// consistency proofs to older sizes, and, given a token, checks that every entry in the entry bundles
// (<log>/tile/entries/<N>[.p/<W>]) hashes to its leaf. Exit status 0 and a last line starting with "OK"
// mean everything verified.
//
// Build offline against Debian's golang-golang-x-mod-dev: GO111MODULE=off GOPATH=/usr/share/gocode go run .
package main

import (
	"bytes"
	"encoding/base64"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

const tileHeight = 8

var (
	logURL     = flag.String("log", "", "the log's URL prefix, e.g. http://127.0.0.1:8080/log")
	vkey       = flag.String("vkey", "", "the log's note verifier key <name>+<hash>+<base64 key>")
	token      = flag.String("token", "", "bearer token for the entry bundles (they are not public by default)")
	maxRecords = flag.Int64("max-records", 2000, "check inclusion proofs for at most this many records")
	client     = &http.Client{Timeout: 60 * time.Second}
)

func main() {
	flag.Parse()
	if *logURL == "" || *vkey == "" {
		fail("usage: tlogcheck -log URL -vkey KEY [-token TOKEN]")
	}
	verifier, err := note.NewVerifier(*vkey)
	check(err, "verifier key")

	body, err := get("/checkpoint", "")
	check(err, "fetching the checkpoint")
	n, err := note.Open(body, note.VerifierList(verifier))
	check(err, "checkpoint signature")
	origin, tree := parseCheckpoint(n.Text)
	if origin != verifier.Name() {
		fail(fmt.Sprintf("checkpoint origin %q is not the key's name %q", origin, verifier.Name()))
	}
	fmt.Printf("checkpoint: origin %s, size %d, root %s, signature verified\n", origin, tree.N, tree.Hash)

	reader := tlog.TileHashReader(tree, &tileReader{})
	root, err := tlog.TreeHash(tree.N, reader)
	check(err, "tree hash from tiles")
	if root != tree.Hash {
		fail("the root computed from the tiles differs from the checkpoint's")
	}
	fmt.Println("tiles: tree hash recomputed from the tiles equals the checkpoint root")

	records := tree.N
	if records > *maxRecords {
		records = *maxRecords
	}
	indexes := make([]int64, tree.N)
	for i := range indexes {
		indexes[i] = tlog.StoredHashIndex(0, int64(i))
	}
	leafHashes, err := reader.ReadHashes(indexes)
	check(err, "leaf hashes")
	for i := int64(0); i < records; i++ {
		// Spread the checked records over the whole log.
		index := i * tree.N / records
		proof, err := tlog.ProveRecord(tree.N, index, reader)
		check(err, "inclusion proof")
		check(tlog.CheckRecord(proof, tree.N, tree.Hash, index, leafHashes[index]), "inclusion of record "+strconv.FormatInt(index, 10))
	}
	fmt.Printf("inclusion: %d records proven in the tree of size %d\n", records, tree.N)

	consistent := 0
	for _, old := range []int64{1, tree.N / 3, tree.N / 2, tree.N - 1} {
		if old < 1 || old >= tree.N {
			continue
		}
		oldHash, err := tlog.TreeHash(old, reader)
		check(err, "old tree hash")
		proof, err := tlog.ProveTree(tree.N, old, reader)
		check(err, "consistency proof")
		check(tlog.CheckTree(proof, tree.N, tree.Hash, old, oldHash), "consistency with size "+strconv.FormatInt(old, 10))
		consistent++
	}
	fmt.Printf("consistency: %d older sizes proven consistent\n", consistent)

	entries := int64(0)
	if *token != "" {
		for start := int64(0); start < tree.N; start += 1 << tileHeight {
			width := tree.N - start
			if width > 1<<tileHeight {
				width = 1 << tileHeight
			}
			tile := tlog.Tile{H: tileHeight, L: -1, N: start >> tileHeight, W: int(width)}
			bundle, err := get("/"+c2spPath(tile), *token)
			check(err, "entry bundle "+c2spPath(tile))
			for i := int64(0); i < width; i++ {
				if len(bundle) < 2 {
					fail("entry bundle " + c2spPath(tile) + " is truncated")
				}
				size := int(bundle[0])<<8 | int(bundle[1])
				if len(bundle) < 2+size {
					fail("entry bundle " + c2spPath(tile) + " is truncated")
				}
				entry := bundle[2 : 2+size]
				bundle = bundle[2+size:]
				if tlog.RecordHash(entry) != leafHashes[start+i] {
					fail(fmt.Sprintf("entry %d does not hash to its leaf", start+i))
				}
				entries++
			}
			if len(bundle) != 0 {
				fail("entry bundle " + c2spPath(tile) + " has trailing bytes")
			}
		}
		fmt.Printf("entries: %d entries hash to their leaves\n", entries)
	}
	fmt.Printf("OK %s size=%d records=%d entries=%d\n", origin, tree.N, records, entries)
}

// parseCheckpoint reads a c2sp.org/tlog-checkpoint body: origin, decimal size, base64 root, extension lines.
func parseCheckpoint(text string) (string, tlog.Tree) {
	lines := strings.SplitAfterN(text, "\n", 4)
	if len(lines) < 3 {
		fail("checkpoint has fewer than three lines")
	}
	origin := strings.TrimSuffix(lines[0], "\n")
	size, err := strconv.ParseInt(strings.TrimSuffix(lines[1], "\n"), 10, 64)
	check(err, "checkpoint size")
	if strconv.FormatInt(size, 10) != strings.TrimSuffix(lines[1], "\n") || size < 0 {
		fail("checkpoint size is not canonical decimal")
	}
	raw, err := base64.StdEncoding.DecodeString(strings.TrimSuffix(lines[2], "\n"))
	check(err, "checkpoint root")
	if len(raw) != tlog.HashSize {
		fail("checkpoint root is not 32 bytes")
	}
	var hash tlog.Hash
	copy(hash[:], raw)
	return origin, tlog.Tree{N: size, Hash: hash}
}

// c2spPath is the c2sp.org/tlog-tiles path of a tile: tile/<L>/<N>[.p/<W>] (Go's sumdb paths also hold the
// height, tile/8/<L>/..., and call entry bundles "data").
func c2spPath(t tlog.Tile) string {
	level := strconv.Itoa(t.L)
	if t.L == -1 {
		level = "entries"
	}
	n := strconv.FormatInt(t.N, 10)
	for len(n)%3 != 0 {
		n = "0" + n
	}
	var parts []string
	for i := 0; i < len(n); i += 3 {
		parts = append(parts, n[i:i+3])
	}
	for i := 0; i < len(parts)-1; i++ {
		parts[i] = "x" + parts[i]
	}
	path := "tile/" + level + "/" + strings.Join(parts, "/")
	if t.W < 1<<t.H {
		path += ".p/" + strconv.Itoa(t.W)
	}
	return path
}

// tileReader fetches tiles over HTTP. It keeps what it fetched: TileHashReader checks the tiles against the
// checkpoint on every read, cached or not.
type tileReader struct {
	fetched map[string][]byte
}

func (r *tileReader) Height() int { return tileHeight }

func (r *tileReader) ReadTiles(tiles []tlog.Tile) ([][]byte, error) {
	if r.fetched == nil {
		r.fetched = make(map[string][]byte)
	}
	data := make([][]byte, len(tiles))
	for i, t := range tiles {
		if body, ok := r.fetched[c2spPath(t)]; ok {
			data[i] = body
			continue
		}
		body, err := get("/"+c2spPath(t), "")
		if err != nil {
			return nil, err
		}
		if len(body) != t.W*tlog.HashSize {
			return nil, fmt.Errorf("tile %s has %d bytes, want %d", c2spPath(t), len(body), t.W*tlog.HashSize)
		}
		r.fetched[c2spPath(t)] = body
		data[i] = body
	}
	return data, nil
}

func (r *tileReader) SaveTiles(tiles []tlog.Tile, data [][]byte) {}

func get(path, bearer string) ([]byte, error) {
	request, err := http.NewRequest("GET", strings.TrimSuffix(*logURL, "/")+path, nil)
	if err != nil {
		return nil, err
	}
	if bearer != "" {
		request.Header.Set("Authorization", "Bearer "+bearer)
	}
	response, err := client.Do(request)
	if err != nil {
		return nil, err
	}
	defer response.Body.Close()
	body, err := io.ReadAll(io.LimitReader(response.Body, 1<<24))
	if err != nil {
		return nil, err
	}
	if response.StatusCode != 200 {
		return nil, fmt.Errorf("GET %s: %s: %s", path, response.Status, bytes.TrimSpace(body))
	}
	return body, nil
}

func check(err error, what string) {
	if err != nil {
		fail(what + ": " + err.Error())
	}
}

func fail(message string) {
	fmt.Fprintln(os.Stderr, "FAIL "+message)
	os.Exit(1)
}
