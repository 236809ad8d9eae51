package games

import (
	"fmt"
	"strconv"
	"strings"
)

// siouxFallsRoads is OpenSpiel's Sioux Falls road data (python/games/dynamic_routing_data.py,
// LeBlanc and Morlok's network, "scaled"), copied as data: one line per node, its successors in
// the data's order, each as head:free-flow time:n, with BPR coefficient a = n·1e-18.
const siouxFallsRoads = `
 1: 2:6:2  3:4:2
 2: 1:6:2  6:5:1240
 3: 1:4:2  4:4:6  12:4:2
 4: 3:4:6  5:2:3  11:6:1550
 5: 4:2:3  6:4:1000  9:5:75
 6: 2:5:1240  5:4:1000  8:2:520
 7: 8:3:119  18:2:1
 8: 6:2:520  7:3:119  9:10:2306  16:5:1156
 9: 5:5:75  8:10:2306  10:3:11
10: 9:3:11  11:5:75  15:6:26  16:4:1080  17:8:1929
11: 4:6:1550  10:5:75  12:6:1550  14:4:1061
12: 3:4:2  11:6:1550  13:3:1
13: 12:3:1  24:4:893
14: 11:4:1061  15:5:1085  23:4:1020
15: 10:6:26  14:5:1085  19:3:10  22:3:53
16: 8:5:1156  10:4:1080  17:2:401  18:3:3
17: 10:8:1929  16:2:401  19:2:553
18: 7:2:1  16:3:3  20:4:2
19: 15:3:10  17:2:553  20:4:957
20: 18:4:2  19:4:957  21:6:1373  22:5:1130
21: 20:6:1373  22:2:401  24:3:789
22: 15:3:53  20:5:1130  21:2:401  23:4:960
23: 14:4:1020  22:4:960  24:2:451
24: 13:4:893  21:3:789  23:2:451
`

// siouxFallsOD is OpenSpiel's SIOUX_FALLS_OD_DEMAND as a matrix, copied as data: rows are
// origins, columns destinations, entries hundreds of vehicles ("." none).
const siouxFallsOD = `
o\d   1   2   3   4   5   6   7   8   9  10  11  12  13  14  15  16  17  18  19  20  21  22  23  24
  1   .   1   1   5   2   3   5   8   5  13   5   2   5   3   5   5   4   1   3   3   1   4   3   1
  2   1   .   1   2   1   4   2   4   2   6   2   1   3   1   1   4   2   .   1   1   .   1   .   .
  3   1   1   .   2   1   3   1   2   1   3   3   2   1   1   1   2   1   .   .   .   .   1   1   .
  4   5   2   2   .   5   4   4   7   7  12  15   6   6   5   5   8   5   1   2   3   2   4   5   2
  5   2   1   1   5   .   2   2   5   8  10   5   2   2   1   2   5   2   .   1   1   1   2   1   .
  6   3   4   3   4   2   .   4   8   4   8   4   2   2   1   2   9   5   1   2   3   1   2   1   1
  7   5   2   1   4   2   4   .  10   6  19   5   7   4   2   5  14  10   2   4   5   2   5   2   1
  8   8   4   2   7   5   8  10   .   8  16   8   6   6   4   6  22  14   3   7   9   4   5   3   2
  9   5   2   1   7   8   4   6   8   .  28  14   6   6   6  10  14   9   2   4   6   3   7   5   2
 10  13   6   3  12  10   8  19  16  28   .  39  20  19  21  40  44  39   7  18  25  12  26  18   8
 11   5   2   3  14   5   4   5   8  14  40   .  14  10  16  14  14  10   2   4   6   4  11  13   6
 12   2   1   2   6   2   2   7   6   6  20  14   .  13   7   7   7   6   2   3   5   3   7   7   5
 13   5   3   1   6   2   2   4   6   6  19  10  13   .   6   7   6   5   1   3   6   6  13   8   7
 14   3   1   1   5   1   1   2   4   6  21  16   7   6   .  13   7   7   1   3   5   4  12  11   4
 15   5   1   1   5   2   2   5   6   9  40  14   7   7  13   .  12  15   2   8  11   8  26  10   4
 16   5   4   2   8   5   9  14  22  14  44  14   7   6   7  12   .  28   5  13  16   6  12   5   3
 17   4   2   1   5   2   5  10  14   9  39  10   6   5   7  15  28   .   6  17  17   6  17   6   3
 18   1   .   .   1   .   1   2   3   2   7   1   2   1   1   2   5   6   .   3   4   1   3   1   .
 19   3   1   .   2   1   2   4   7   4  18   4   3   3   3   8  13  17   3   .  12   4  12   3   1
 20   3   1   .   3   1   3   5   9   6  25   6   4   6   5  11  16  17   4  12   .  12  24   7   4
 21   1   .   .   2   1   1   2   4   3  12   4   3   6   4   8   6   6   1   4  12   .  18   7   5
 22   4   1   1   4   2   2   5   5   7  26  11   7  13  12  26  12  17   3  12  24  18   .  21  11
 23   3   .   1   5   1   1   2   3   5  18  13   7   8  11  10   5   6   1   3   7   7  21   .   7
 24   1   .   .   2   .   1   1   2   2   8   6   5   8   4   4   3   3   .   1   4   5  11   7   .
`

// siouxFallsNetwork is OpenSpiel's Sioux Falls network: the 24 nodes' roads, b = 4 and capacity 1
// on every link, and for each node k a source bef_k->k and a sink k->aft_k (appended last to k's
// successors), both with free-flow time 0 and a = 0; its demand is SIOUX_FALLS_OD_DEMAND, 3606
// hundred vehicles leaving bef_o->o for d->aft_d at time 0, listed destination by destination.
func siouxFallsNetwork() *routingNetwork {
	var adj []routingAdjacency
	free, a := map[string]float64{}, map[string]float64{}
	for _, line := range strings.Split(strings.TrimSpace(siouxFallsRoads), "\n") {
		node, rest, _ := strings.Cut(line, ":")
		node = strings.TrimSpace(node)
		var succs []string
		for _, f := range strings.Fields(rest) {
			p := strings.Split(f, ":")
			succs = append(succs, p[0])
			free[node+"->"+p[0]], a[node+"->"+p[0]] = mustFloat(p[1]), mustFloat(p[2])*1e-18
		}
		adj = append(adj, routingAdjacency{node, append(succs, "aft_"+node)},
			routingAdjacency{"bef_" + node, []string{node}}, routingAdjacency{"aft_" + node, nil})
	}
	rows := strings.Split(strings.TrimSpace(siouxFallsOD), "\n")[1:]
	var demand []RoutingDemand
	for d := 1; d <= len(rows); d++ {
		for _, row := range rows {
			f := strings.Fields(row)
			if f[d] != "." {
				demand = append(demand, RoutingDemand{Origin: "bef_" + f[0] + "->" + f[0],
					Destination: fmt.Sprintf("%d->aft_%d", d, d), Counts: mustFloat(f[d]) * 1e2})
			}
		}
	}
	return newRoutingNetwork(adj, func(l *routingLink) {
		l.free, l.a, l.b, l.cap = free[l.name], a[l.name], 4, 1
	}, demand)
}

// mustFloat parses a number of the data above.
func mustFloat(s string) float64 {
	x, err := strconv.ParseFloat(s, 64)
	if err != nil {
		panic(err)
	}
	return x
}
