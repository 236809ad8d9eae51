// Package nplayer is the repeated auction with N bidders, the finite game that the mean-field
// auction approximates, and the learners that play it.
//
// Each round every bidder i has a budget s^i and places a bid a^i. Then every bidder takes part
// in its own auction against M-1 opponents drawn uniformly without replacement from the other N-1
// bidders, using their current bids; its reward and budget update come from that auction alone
// (its own tie-break, conversion v and top-up Δ, as in games.Auction). Opponents' budgets are not
// changed by being drawn into i's auction. As N grows with M fixed, the bids a bidder meets become
// i.i.d. draws from the population's bid distribution: the mean-field game.
//
// Policies (Profile) give each bidder a bid distribution per own budget and, for policies that
// observe the market (MF-Q), per bin of the previous round's mean bid of the other bidders.
//
// Learners: IL (independent tabular Q-learners on own budget and bid, Boltzmann exploration),
// MF-Q (Yang et al. 2018: Q over own budget, own bid and the binned mean bid of the others), and
// the deployment of a mean-field policy (GMF-Q's) by all N bidders. Every learner deploys the
// policy a bidder would use: argmax-e of its Q-table (or softmax_c, as an option).
package nplayer
