/** The shape of one rule in the rule table (rules.ts) and the source URL prefixes. */
export interface RuleText {
  title: string;
  /** Kernel function (with file) or AMD instruction the rule models. */
  source: string;
  url: string;
  explain: string;
  /** Kernel versions the rule holds for (e.g. '6.15+'); absent: every version modelled. */
  kernels?: string;
  /** A proposal's rule, never merged (rules-proposals.ts); absent: merged behaviour. */
  status?: 'proposal';
}

export const ELIXIR = 'https://elixir.bootlin.com/linux/v6.12/source/';
export const LORE = 'https://lore.kernel.org/all/';
