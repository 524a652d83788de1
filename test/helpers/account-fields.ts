import { AccountFields, type AccountFieldsInput } from '../../shared/model.js';

/** Account fields as the contract delivers them to the core: defaults applied, validated. */
export function accountFields(input: AccountFieldsInput): AccountFields {
  return AccountFields.parse(input);
}
