import { CASE_SEARCH_ATTRIBUTES } from '../../libs/contracts/search-attributes';

const { SEARCH_ATTRIBUTES } = require('../../scripts/lib/temporal');

const TYPE_NAMES: Record<string, string> = { KEYWORD: 'Keyword', INT: 'Int', TEXT: 'Text', BOOL: 'Bool', DATETIME: 'Datetime', DOUBLE: 'Double', KEYWORD_LIST: 'KeywordList' };

describe('custom search attributes', () => {
  it('the dev server registers exactly the attributes the workflow sets, with the same types', () => {
    const fromWorkflow = Object.fromEntries(CASE_SEARCH_ATTRIBUTES.map((k) => [k.name, TYPE_NAMES[k.type]]));
    expect(SEARCH_ATTRIBUTES).toEqual(fromWorkflow);
  });
});
