import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { isEmail, IsOptional, IsString, Length, Matches, ValidateBy, type ValidationOptions } from 'class-validator';
import { ID_PATTERN } from '../../shared/dto';

const PERSONAL = 'Personal data: kept in the erasable directory only, never written to the log, the read models or the open data.';

/** class-validator's IsEmail, which throws (a URIError, so a 500) on a lone surrogate ("\ud800") instead of refusing it. */
function IsEmailAddress(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isEmail',
      validator: {
        validate: (value: unknown) => {
          try {
            return isEmail(value);
          } catch {
            return false;
          }
        },
      },
    },
    options,
  );
}

/** A person of the personal directory. Unknown fields are refused (the validation pipe forbids them). */
export class RegisterPersonDto {
  @ApiProperty({ example: 'Camille Martin', description: `The name shown to authenticated readers (1 to 200 characters). ${PERSONAL}` })
  @IsString()
  @Length(1, 200)
  @Matches(/\S/, { message: 'displayName must not be blank' })
  displayName!: string;

  @ApiPropertyOptional({ example: 'camille.martin@example.org', description: PERSONAL })
  @IsOptional()
  @IsEmailAddress({ message: 'email must be an email address' })
  @Length(3, 254)
  email?: string;

  @ApiPropertyOptional({ example: '+33 3 20 00 00 00', description: PERSONAL })
  @IsOptional()
  @IsString()
  @Matches(/^\+?[0-9][0-9 .()-]{1,38}$/, { message: 'phone must be a phone number: digits, spaces, . ( ) - and a leading + (at most 40 characters)' })
  phone?: string;

  @ApiPropertyOptional({ example: 'Conseillère citoyenne, quartier de l’Alma', description: `What the person is (1 to 200 characters). ${PERSONAL}` })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  title?: string;

  @ApiPropertyOptional({
    example: 'party-conseils-citoyens',
    description:
      'The party the person belongs to or represents (a registered party). A signatory representative registers people of their own party only, and gets it when this is absent.',
  })
  @IsOptional()
  @Matches(ID_PATTERN, { message: 'partyId must be 1 to 100 letters, digits or . _ : -' })
  partyId?: string;
}
