import { tapMetrics } from '../../local/local-metrics';

/**
 * The functions print their metrics as CloudWatch EMF lines on stdout; in tests those lines are taken
 * out of the output, as the local runtime takes them out of npm start's (which counts them too).
 */
tapMetrics();
