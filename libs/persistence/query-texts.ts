import { LRUCache } from 'lru-cache';
import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';

/** Shapes a call site keeps at most (its filters' combinations); past it the least recently used goes. */
const MAX_SHAPES = 256;

/**
 * The SQL texts of one call site's query builders, each made once per shape. TypeORM makes the text anew on every
 * getQuery() — the select expressions, then each alias's property names replaced through regular expressions over
 * the whole text — which cost the task list, the page a township opens most, about a twentieth of the API's time
 * under load. At a call site whose joins are always the same, the text follows from the builder's selections,
 * conditions, order, limit and offset as written; the values are parameters, so they stay out of the shape, and
 * the parameters are bound per request exactly as getQueryAndParameters() binds them.
 */
export class QueryTexts {
  private readonly texts = new LRUCache<string, string>({ max: MAX_SHAPES });

  /** What `qb.getQueryAndParameters()` answers, with the text made once for the builder's shape. */
  queryAndParameters<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>): [string, unknown[]] {
    const map = qb.expressionMap;
    const shape = JSON.stringify([map.selects, map.wheres, map.orderBys, map.limit ?? null, map.offset ?? null, map.skip ?? null, map.take ?? null]);
    let text = this.texts.get(shape);
    if (text === undefined) {
      text = qb.getQuery();
      // Native parameters are made while the text is (none at our call sites): such a text is not reused.
      if (Object.keys(map.nativeParameters).length > 0) return qb.connection.driver.escapeQueryWithParameters(text, qb.getParameters(), map.nativeParameters);
      this.texts.set(shape, text);
    }
    return qb.connection.driver.escapeQueryWithParameters(text, qb.getParameters(), {});
  }
}
