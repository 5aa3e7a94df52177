// How the community works, in a few paragraphs drawn from the MCP Community Working Groups guide:
// the welcome page's first section, naming the community's own protocol (the governance file's
// `community.protocol`). Kept in code so a packaged install (dist/) carries it.
export const howTheCommunityWorks = (protocol: string, organisationCap: number): string => `
This hub is where the community's working groups do their work in the open. It follows ${
  // the guide is the MCP community's own: another protocol's community follows the practice it adopted
  protocol === 'MCP'
    ? 'the\n*MCP Community Working Groups* guide'
    : 'the working-group\npractice this community adopted'
}; the rules it enforces are listed on [How we work](/how-we-work).

**Working groups and topic areas.** A working group keeps continuity for a general domain of ${protocol}
implementation. Topic areas form inside it when members focus on a specific challenge; the people
in a topic area shape how it runs, and every topic area says its goal: to agree common patterns
for implementing solutions with ${protocol}, to propose changes to the specification, or both.

**Decisions by consensus, managed by objection.** Silence by the deadline counts as consent. A
concern says "yes, and…" with an amendment; a block gives its reason and an alternative or what would resolve it. We
prefer experiments to speculation: show it working rather than debate it in theory.

**Interests, not positions.** Say what you need and why ("our operators must keep sessions across
deploys"), not which solution must win. Every proposal starts from a concrete problem with
real-world examples, and from a search for work that already covers it.

**Sharing, not marketing.** Tell the group what you tried and what you learned. Promotion of
products does not belong here, and many voices from one organisation weigh ${
  // the rules file's cap (decisions.weighting.organisationCap), as How we work and the tallies count it
  organisationCap === 1 ? 'as one' : `at most ${organisationCap}`
}.

**Everyone can take part.** Work happens in writing as much as in meetings, so time zones are no
barrier: facilitators present written input from people who cannot attend.

**Contributions follow one route**, from an idea checked for prior work to a pull request: its
six steps are under [Your first steps](#steps) below. The higher the layer a contribution
changes (working-group artifact, supporting resource, SDK, specification), the higher its
[barrier to change](/how-we-work#contributions): what each layer asks before a pull request.
`;
