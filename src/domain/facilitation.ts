// The guide's "The Ideal Topic Facilitator", in its own words: shown where someone is named a topic
// area's facilitator (the topic area form), beside the group's topic areas and on How we work.

export const FACILITATOR_EXPECTATIONS = [
  'Has time to dedicate to summarizing and organizing information, welcoming new members, and guiding contributors to the topic area.',
  'Uses techniques to maintain fair participation and encourage group progress (e.g., focus on Interests vs. Positions, balancing Inquiry/Advocacy, Decision Making techniques).',
  "Balances personal investment with fair guidance: with strong views on a particular outcome, considers how they'll maintain neutrality while facilitating group discussions.",
] as const;
