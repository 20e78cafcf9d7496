//go:build tools

// Wrapper module that builds toxiproxy-server (github.com/Shopify/toxiproxy/v2, MIT) from Go modules for
// the integration tier's network faults. scripts/integration/toxiproxy-binary.sh reads the version from
// go.mod and builds ./cmd/server; the blank import keeps `go mod tidy` from dropping the requirement.
package tools

import _ "github.com/Shopify/toxiproxy/v2/cmd/server"
