package games

// The grids of OpenSpiel's python/mfg/games/crowd_modelling_2d.py (FOUR_ROOMS, MAZE), copied as
// data: row index y, column index x, '#' a forbidden cell (its grid_to_forbidden_states).
var crowd2DGrids = map[string][]string{
	"four-rooms": {
		"#############",
		"#     #     #",
		"#     #     #",
		"#           #",
		"#     #     #",
		"#     #     #",
		"### ##### ###",
		"#     #     #",
		"#     #     #",
		"#           #",
		"#     #     #",
		"#     #     #",
		"#############",
	},
	"maze": {
		"######################",
		"#      #     #     # #",
		"#      #     #     # #",
		"######    #  # ##  # #",
		"#         #  # #   # #",
		"#         #  # ### # #",
		"#  ########  #   #   #",
		"#    # # #  ##   #   #",
		"#    # # #     # # ###",
		"#    # # #     # # # #",
		"###### # ####### # # #",
		"#  #         #   # # #",
		"#  # ## ###  #   # # #",
		"## # #    #  ##### # #",
		"## # # #  #      # # #",
		"#    # ####        # #",
		"# ####  # ########   #",
		"#       #  #   # ### #",
		"#  #  # #  # # #   # #",
		"# ##### #    # #     #",
		"#            #       #",
		"######################",
	},
}

// Crowd2DGridWalls returns the forbidden cells of a named grid as [x, y] pairs, row by row (y),
// left to right (x), as OpenSpiel's grid_to_forbidden_states lists them; nil for "none".
func Crowd2DGridWalls(name string) [][]int {
	var out [][]int
	for y, row := range crowd2DGrids[name] {
		for x, c := range row {
			if c == '#' {
				out = append(out, []int{x, y})
			}
		}
	}
	return out
}
