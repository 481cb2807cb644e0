import type { PipeTransform } from '@nestjs/common';
import { isPersonId } from '@mel/domain';
import { RequestFieldError } from '../shared/problem-details';

/** A person id in a path: `person-` and a UUID v4, lowercase (400 otherwise). */
export class PersonIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!isPersonId(value)) throw new RequestFieldError('personId', 'matches', 'personId must be person- and a UUID v4 in lowercase, as POST /directory/people answered');
    return value;
  }
}
