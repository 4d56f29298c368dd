// The workflows' contracts: type names, inputs, updates, queries, signals, ids and search attributes.
// Clients, activities, the apps and the tests import these, never a workflow's body.
export * from './brief-answers';
export * from './rectify-case';
export * from './evaluate-star-rating';
export * from './deliver-notices';
export * from './search-attributes';
