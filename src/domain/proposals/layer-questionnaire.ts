// "Which layer?": the guide's reasoning about where a change belongs, as four questions.
import type { LayerId } from '../governance/index.ts';

export type LayerAnswers = {
  /** Does it change what goes over the wire (messages, fields, methods)? */
  changesWire: boolean;
  /** Must every reference SDK change for implementations to interoperate? */
  allSdksMustChange: boolean;
  /** Is it about one language's SDK only? */
  oneLanguageOnly: boolean;
  /** Is it documentation, guidance, tooling or examples only? */
  guidanceOnly: boolean;
};

export type LayerRecommendation = { layer: LayerId; reasoning: string[] };

export function recommendLayer(a: LayerAnswers): LayerRecommendation {
  if (a.changesWire) {
    return {
      layer: 'specification',
      reasoning: [
        'It changes what goes over the wire, so every implementer is affected: that is the specification layer.',
        'The barrier there is intentionally high (the cascading impact principle): well-justified, practice-proven in real implementations, widely beneficial.',
        'Consider establishing the pattern in a working-group artifact first.',
      ],
    };
  }
  if (a.allSdksMustChange) {
    return {
      layer: 'sdk-alignment',
      reasoning: [
        'The wire format stays, but every reference SDK must behave the same way: that is reference SDK specification alignment, which needs interoperability evidence across SDKs.',
      ],
    };
  }
  if (a.oneLanguageOnly) {
    return {
      layer: 'sdk-innovation',
      reasoning: [
        "It concerns one language's SDK: language-specific innovation, proven by use in that language's community.",
      ],
    };
  }
  if (a.guidanceOnly) {
    return {
      layer: 'supporting-resource',
      reasoning: [
        'Documentation, guides, tutorials, debugging tools or reference applications are supporting resources: they facilitate adoption and need validation by several implementers.',
      ],
    };
  }
  return {
    layer: 'working-group-artifact',
    reasoning: [
      'Implementation patterns, configuration guides and other community resources start as working-group artifacts: the low barrier lets the group experiment before proposing anything higher.',
    ],
  };
}
