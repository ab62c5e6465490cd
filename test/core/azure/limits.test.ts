import {
  CONCURRENCY,
  MAX_CONTENT_TYPE_CHARS,
  MAX_TAG_NAME_CHARS,
  MAX_TAG_VALUE_CHARS,
  MAX_TAGS_PER_SECRET,
  MAX_USER_TAGS,
  MAX_VALUE_BYTES,
  RESERVED_TAG_NAMES,
} from '../../../src/core/azure/limits.js';
import { OWNER_TAG, OWNERSHIP_TAG } from '../../../src/core/common/ownership.js';

describe('limits', () => {
  it.each([
    ['value bytes (25 × 1024)', MAX_VALUE_BYTES, 25_600],
    ['tags per secret', MAX_TAGS_PER_SECRET, 15],
    ['user tags (15 minus the 2 ownership tags)', MAX_USER_TAGS, 13],
    ['tag name characters', MAX_TAG_NAME_CHARS, 512],
    ['tag value characters', MAX_TAG_VALUE_CHARS, 512],
    ['content type characters', MAX_CONTENT_TYPE_CHARS, 255],
    ['min concurrency', CONCURRENCY.min, 1],
    ['max concurrency', CONCURRENCY.max, 64],
    ['default concurrency', CONCURRENCY.default, 32],
  ])('%s', (_what, actual, expected) => {
    expect(actual).toBe(expected);
  });

  it('reserves exactly the ownership tags the engine writes', () => {
    expect([...RESERVED_TAG_NAMES].sort()).toEqual([OWNERSHIP_TAG, OWNER_TAG].sort());
    expect(RESERVED_TAG_NAMES).toEqual(['managed-by', 'aml-vault-push-owner']);
  });
});
