/**
 * How a text is split and billed. GSM-7 carries 160 characters in one part and 153 per part
 * when concatenated (the user data header takes 7); anything outside GSM-7 goes as UCS-2,
 * 70 characters in one part and 67 per part. Characters of the GSM-7 extension table take
 * two septets.
 */
const gsmBasic =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
  '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const gsmExtension = '^{}\\[~]|€\f';

export type Encoding = 'GSM-7' | 'UCS-2';

export interface SegmentCount {
  encoding: Encoding;
  /** Characters as the handset counts them: septets for GSM-7, UTF-16 code units for UCS-2. */
  units: number;
  segments: number;
}

export function countSegments(text: string): SegmentCount {
  let septets = 0;
  for (const char of text) {
    if (gsmBasic.includes(char)) septets += 1;
    else if (gsmExtension.includes(char)) septets += 2;
    else return split('UCS-2', text.length, 70, 67);
  }
  return split('GSM-7', septets, 160, 153);
}

function split(encoding: Encoding, units: number, single: number, perPart: number): SegmentCount {
  return { encoding, units, segments: units === 0 ? 1 : units <= single ? 1 : Math.ceil(units / perPart) };
}
