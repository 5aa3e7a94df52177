// The hand-written cues of "interests, not positions; sharing, not marketing": phrasings that
// demand one fixed solution or that sell, each with the guide's suggested reframing. They are
// features of the hints model (src/domain/hints/model.ts) and supply the reframing when a
// flag's words match one; on their own they catch only the phrasings they were written for.

export type Rule = {
  kind: 'position' | 'marketing';
  cue: string;
  re: RegExp;
  suggest: (m: RegExpExecArray, sentence: string) => string;
  unless?: RegExp;
};

const SUBJECT = String.raw`(?:we|you|everyone|the (?:mcp )?(?:spec|specification|protocol|standard|sdks?|working group|wg|group|community|registry)|mcp|this (?:group|wg)|all sdks|every sdk)`;
const DEMAND_VERB = String.raw`(?:implement|adopt|use|support|mandate|standardi[sz]e on|require|switch to|go with|choose|pick|be based on|be built on|move to|migrate to|drop|replace)`;

export const POSITION: Rule[] = [
  {
    kind: 'position',
    cue: 'the only acceptable solution',
    re: /\b(?:is|are|remains?) the only (?:acceptable|viable|valid|sensible|reasonable|correct|right|real|serious|workable|sane) (?:solution|option|way|approach|choice|answer|path|design|transport)s?\b/i,
    suggest: () =>
      'Describe the requirement that makes this option attractive (for example throughput, latency, security) so others can propose options that meet it too.',
  },
  {
    kind: 'position',
    cue: 'non-negotiable',
    re: /\bnon-?negotiable\b/i,
    suggest: () => 'Say which need makes this essential for you; others may find another way to meet that need.',
  },
  {
    kind: 'position',
    cue: 'we will not accept',
    re: /\b(?:we|i) (?:will|would|can) not accept\b|\b(?:we|i) won'?t accept\b|\b(?:we|i) refuse to\b|\bwe (?:will )?block anything\b/i,
    suggest: () =>
      'State the concern behind the objection and what would resolve it: a block works best with an alternative or resolution criteria.',
  },
  {
    kind: 'position',
    cue: 'there is no alternative',
    re: /\bthere (?:is|are) no (?:other )?(?:alternatives?|other (?:option|way)s?)\b|\b(?:period|full stop|end of (?:story|discussion))[.!]?\s*$|\bor nothing\b|\bthe one true\b/i,
    suggest: () =>
      'Share the constraints you are working under; naming them invites solutions you may not have considered.',
  },
  {
    kind: 'position',
    cue: 'we insist',
    re: /\b(?:we|i) (?:insist|demand)\b/i,
    suggest: () => 'Explain the need behind the demand so the group can weigh ways to meet it.',
  },
  {
    kind: 'position',
    cue: 'must implement / should mandate',
    re: new RegExp(
      String.raw`\b${SUBJECT} (?:(?:really|simply|just|clearly|absolutely) )?(?:must|has to|have to|needs? to|should|shall|ought to) (?:(?:really|simply|just|clearly|also|only|finally) )?${DEMAND_VERB}\b(?! (?:a way|some way|an? (?:secure |reliable |simple )?(?:method|mechanism|way)|options?|whatever|something|the needs?)\b)`,
      'i',
    ),
    // uppercase MUST/SHOULD/SHALL is normative specification language (RFC 2119), not a position
    unless: /\b(?:MUST|SHOULD|SHALL|REQUIRED)\b/,
    suggest: (_m, s) =>
      `What problem would this solve for you? Reframe "${s.trim().slice(0, 80)}" as the need behind it, e.g. "We need … that works with …", so others can suggest solutions.`,
  },
  {
    kind: 'position',
    cue: 'should mandate',
    re: /\b(?:should|must|has to|needs to) (?:be )?(?:mandated?|required) (?:by|in) (?:the )?(?:spec|specification|protocol)\b|\bmandate (?:that )?(?:all|every)\b/i,
    suggest: () =>
      'Describe the risk or need that a mandate would address (for example privacy for regulated industries); the group can then weigh a mandate against other ways to meet it.',
  },
];

export const MARKETING: Rule[] = [
  {
    kind: 'marketing',
    cue: 'contact us for pricing',
    re: /\b(?:contact|call|email|message|dm|ping) (?:us|me|our (?:sales|team|account)[\w ]*)\b[^.]*\b(?:pricing|quote|demo|trial|licen[cs]e|discount|offer)\b|\bfor pricing\b|\b(?:request|get) a (?:quote|demo)\b/i,
    suggest: () => 'Share what you learned (what worked, what did not, the numbers) rather than how to buy it.',
  },
  {
    kind: 'marketing',
    cue: 'book a demo / free trial',
    re: /\b(?:book|schedule|request) (?:a|your) (?:free )?(?:demo|call|consultation)\b|\bfree trial\b|\bsign up (?:today|now|for free)\b|\bstart your (?:free )?trial\b|\blimited[- ]time\b|\bspecial offer\b|\bpromo code\b|\bdiscount\b/i,
    suggest: () =>
      'If your implementation shows something useful, describe the pattern or share a demonstration of how it addresses the problem.',
  },
  {
    kind: 'marketing',
    cue: 'our product is the best',
    re: /\bour (?:company'?s )?(?:proprietary |flagship |enterprise |award-winning |patented )*(?:product|platform|solution|offering|tool|service|suite|gateway|sdk)s? (?:is|are) (?:the )?(?:best|leading|fastest|only|most (?:advanced|complete|secure|powerful)|unmatched|superior|number one|#1)\b/i,
    suggest: () =>
      'Compare approaches on evidence: "We tested three approaches to this problem, and approach Z worked best because …".',
  },
  {
    kind: 'marketing',
    cue: 'proprietary solution',
    re: /\bour (?:company'?s )?proprietary\b[^.]*\b(?:best|solves?|answer|way to solve)\b/i,
    suggest: () =>
      'Describe the technique in a way others can implement, or the challenges you found, rather than the product.',
  },
  {
    kind: 'marketing',
    cue: 'industry-leading',
    re: /\b(?:industry|market)[- ]leading\b|\bbest[- ]in[- ]class\b|\bworld[- ]class\b|\baward[- ]winning\b|\bcutting[- ]edge (?:product|platform|solution)\b|\bnext[- ]gen(?:eration)? platform\b|\btrusted by (?:over |more than )?\d|\b(?:thousands|millions) of (?:happy |satisfied )?customers\b|\bcustomers love\b/i,
    suggest: () => 'Let the working group judge from shared evidence; describe what you did and what you measured.',
  },
  {
    kind: 'marketing',
    cue: 'reduces costs by 50%',
    re: /\b(?:our (?:product|platform|solution|service|tool)|it) (?:reduces|cuts|slashes|saves)[^.]*\b\d+ ?%|\b(?:save|saves|cut|cuts) (?:up to )?\d+ ?% (?:on|of|in)\b|\b\d+x (?:faster|cheaper|better) than (?:any|the competition|competitors)\b/i,
    suggest: () => 'Share how the saving was measured and under which conditions, so others can reproduce it.',
  },
  {
    kind: 'marketing',
    cue: 'visit our website',
    re: /\b(?:visit|check out) (?:our (?:website|site|store|marketplace|pricing page)|us at)\b|\bavailable (?:now )?(?:on|in) (?:the )?(?:aws|azure|gcp) marketplace\b|\bbuy (?:it )?now\b|\bsubscribe (?:now|today)\b/i,
    suggest: () => 'Link to a public write-up or a reproducible example instead of a sales page.',
  },
];

export function firstMatch(rules: Rule[], sentence: string): { rule: Rule; m: RegExpExecArray } | null {
  for (const rule of rules) {
    const m = rule.re.exec(sentence);
    if (m && !rule.unless?.test(m[0])) return { rule, m };
  }
  return null;
}

// "We must implement it in a way that …" and questions are not demands.
export const SOFTENERS =
  /^\s*(?:should|must|do|does|can|could|would|will|is|are)\b.*\?\s*$|\b(?:whether|if) (?:we|the spec)\b|\b(?:i|we) (?:wonder|think about|are exploring|could consider)\b|\b(?:one|an) (?:option|idea) (?:is|would be)\b/i;
