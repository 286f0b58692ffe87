import {
  ClassificationRule,
  DEFAULT_CLASSIFICATION_RULES,
  TicketType,
  validateClassificationRules,
} from '@acme/plugin-incident-ops-common';
import type { Config } from '@backstage/config';

const KEY = 'incidentOps.classification';

/**
 * The ticket-type rules in force: those in `incidentOps.classification.rules`, then the
 * defaults unless `useDefaultRules` is false. Invalid rules stop start-up, naming the key.
 */
export function readClassificationRules(
  config: Config,
): readonly ClassificationRule[] {
  const section = config.getOptionalConfig(KEY);
  const configured: ClassificationRule[] = (
    section?.getOptionalConfigArray('rules') ?? []
  ).map(rule => ({
    id: rule.getString('id'),
    type: rule.getString('type') as TicketType,
    category: rule.getOptionalString('category'),
    subcategory: rule.getOptionalString('subcategory'),
    pattern: rule.getOptionalString('pattern'),
  }));
  const rules = [
    ...configured,
    ...(section?.getOptionalBoolean('useDefaultRules') ?? true
      ? DEFAULT_CLASSIFICATION_RULES
      : []),
  ];
  const problems = validateClassificationRules(rules);
  if (problems.length > 0) {
    throw new Error(`Invalid config at ${KEY}.rules: ${problems.join('; ')}`);
  }
  return rules;
}
