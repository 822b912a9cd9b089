import { describe, expect, it } from 'vitest';
import { anchorOf, previousRows, summaryRows, summarySection } from '../../../bench/summary';

const titles = [
  'Function bundles: size and cold import',
  'Sender rate against its MPS limit (local SQS, DynamoDB Local)',
  'Soak: the local runtime under steady mixed traffic',
];
const [bundles = '', sender = '', soak = ''] = titles;

describe('the summary of RESULTS.md', () => {
  it('links each line to its section by the anchor GitHub gives the heading', () => {
    expect(anchorOf(sender)).toBe('sender-rate-against-its-mps-limit-local-sqs-dynamodb-local');
    expect(anchorOf('Campaign fan-out: members queued per second at 100,000 members')).toBe(
      'campaign-fan-out-members-queued-per-second-at-100000-members',
    );
    expect(summaryRows(sender, [{ figure: 'texts/s ÷ MPS', value: '0.949' }])).toEqual([
      {
        anchor: 'sender-rate-against-its-mps-limit-local-sqs-dynamodb-local',
        cells: [
          '[Sender rate against its MPS limit](#sender-rate-against-its-mps-limit-local-sqs-dynamodb-local)',
          'texts/s ÷ MPS',
          '0.949',
        ],
      },
    ]);
  });

  it('orders lines as the benchmarks run, one per figure', () => {
    const section = summarySection(
      titles,
      [],
      [
        ...summaryRows(soak, [{ figure: 'heap slope', value: '+0.10, flat' }]),
        ...summaryRows(bundles, [
          { figure: 'largest bundle ÷ empty', value: '×10,275' },
          { figure: 'slowest import ÷ empty', value: '×19.4' },
        ]),
      ],
    );
    expect(section.split('\n').filter((line) => line.startsWith('| ['))).toEqual([
      expect.stringMatching(/^\| \[Function bundles\]\(#function-bundles-size-and-cold-import\) +\| largest/),
      expect.stringMatching(/^\| \[Function bundles\].* slowest import ÷ empty +\| +×19\.4 \|$/),
      expect.stringMatching(
        /^\| \[Soak\]\(#soak-the-local-runtime-under-steady-mixed-traffic\) +\| heap slope/,
      ),
    ]);
  });

  it('replaces the lines of the benchmarks run again and keeps the others as written', () => {
    const first = summarySection(
      titles,
      [],
      [
        ...summaryRows(bundles, [{ figure: 'largest bundle ÷ empty', value: '×10,275' }]),
        ...summaryRows(soak, [
          { figure: 'heap slope', value: '+3.00, GROWING' },
          { figure: 'books', value: 'DOES NOT HOLD' },
        ]),
      ],
    );
    const again = summarySection(
      titles,
      previousRows(first),
      summaryRows(soak, [{ figure: 'heap slope', value: '+0.10, flat' }]),
    );
    const rows = previousRows(again).map((row) => row.cells.slice(1));
    expect(rows).toEqual([
      ['largest bundle ÷ empty', '×10,275'],
      ['heap slope', '+0.10, flat'],
    ]);
    expect(previousRows(again)[0]?.cells[0]).toBe(
      '[Function bundles](#function-bundles-size-and-cold-import)',
    );
  });
});
