import { InvalidRequest, UnsupportedResponseType } from '../errors.js';

/** OAuth 2.1 §4.1.1: only the authorization code flow; implicit and hybrid are gone. */
export function checkResponseType(responseType: string | undefined): 'code' {
  if (responseType === undefined || responseType === '')
    throw new InvalidRequest('missing required parameter response_type');
  if (responseType !== 'code') throw new UnsupportedResponseType('response_type must be code');
  return 'code';
}
