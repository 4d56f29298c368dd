// Barrel for the worker's workflowsPath: every workflow the worker runs is exported here.
export { rectifyCase } from './rectify-case';
export { deliverNotices } from './deliver-notices';
export { evaluateStarRating } from './evaluate-star-rating';
