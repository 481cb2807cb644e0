import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { AMBITION_SCALES, type AmbitionScale, type Component, COMPONENTS, PRIORITY_NUMBERS, type PriorityNumber } from '@mel/domain';
import { CommandBody, ID_PATTERN } from '../../shared/dto';

const SHA256 = /^[0-9a-f]{64}$/;
const INSEE_CODE = /^\d{5}$/;
const QPV_CODE = /^QN\d{5}[A-Z]$/;

export class ContractComponentDto {
  @ApiProperty({ enum: Object.keys(COMPONENTS), example: 'contrat-de-ville' })
  @IsIn(Object.keys(COMPONENTS))
  component!: Component;

  @ApiProperty({ example: 2_000_000_000, description: 'Indicative yearly means, in cents of euros (20 M€ = 2 000 000 000)' })
  @IsInt()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  indicativeAnnualBudgetCents!: number;
}

export class ContractAmbitionDto {
  @ApiProperty({ example: '2.1', description: 'Unique within the contract' })
  @Matches(ID_PATTERN)
  ambitionId!: string;

  @ApiProperty({ example: 'lever les freins à la mobilité pour tous' })
  @IsString()
  @Length(1, 1000)
  text!: string;

  @ApiProperty({ enum: AMBITION_SCALES, description: 'metropolis (by 2027) or qpv (by 2030)' })
  @IsIn(AMBITION_SCALES)
  scale!: AmbitionScale;

  @ApiProperty({ example: 2030, description: 'Year, within the contract (2024–2030): the domain refuses others (PeriodIsWithinTheContract)' })
  @IsInt()
  @Min(2000)
  @Max(2100)
  horizon!: number;
}

export class ContractPriorityDto {
  @ApiProperty({ enum: PRIORITY_NUMBERS, example: 2, description: 'enjeu 1–6' })
  @IsIn(PRIORITY_NUMBERS)
  number!: PriorityNumber;

  @ApiProperty({ example: 'Amplifier la politique d’accès à l’emploi' })
  @IsString()
  @Length(1, 300)
  title!: string;

  @ApiProperty({ type: [ContractAmbitionDto], description: 'At least one' })
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => ContractAmbitionDto)
  ambitions!: ContractAmbitionDto[];

  @ApiProperty({ type: [String], example: ['party-etat', 'party-mel'], description: 'Party ids of the partners of the priority' })
  @IsArray()
  @ArrayMaxSize(500)
  @Matches(ID_PATTERN, { each: true })
  partnerPartyIds!: string[];
}

export class ContractQpvDto {
  @ApiProperty({ example: 'QN05972M', description: 'QPV code of the 2024 geography' })
  @Matches(QPV_CODE, { message: 'code must be a QPV code such as QN05972M' })
  code!: string;

  @ApiProperty({ example: 'Secteur Sud' })
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiProperty({ type: [String], example: ['59220', '59346', '59350', '59360'], description: 'INSEE codes of its communes, all among territory.communes' })
  @IsArray()
  @ArrayMaxSize(50)
  @Matches(INSEE_CODE, { each: true, message: 'each commune is a 5-digit INSEE code' })
  communes!: string[];
}

export class ContractTerritoryDto {
  @ApiProperty({ type: [String], example: ['59220', '59346', '59350', '59360'], description: 'INSEE codes of the communes of the contract' })
  @IsArray()
  @ArrayMaxSize(1000)
  @Matches(INSEE_CODE, { each: true, message: 'each commune is a 5-digit INSEE code' })
  communes!: string[];

  @ApiProperty({ type: [ContractQpvDto] })
  @IsArray()
  @ArrayMaxSize(2000)
  @ValidateNested({ each: true })
  @Type(() => ContractQpvDto)
  qpv!: ContractQpvDto[];
}

export class AdoptContractDto extends CommandBody {
  @ApiPropertyOptional({ example: 'cvs-mel-2024', description: 'Chosen by the client to make adoption retry-safe; generated when absent.' })
  @IsOptional()
  @Matches(ID_PATTERN)
  contractId?: string;

  @ApiProperty({ example: 'Contrat de ville et des solidarités de la Métropole Européenne de Lille 2024-2030' })
  @IsString()
  @Length(1, 300)
  title!: string;

  @ApiProperty({ description: 'SHA-256 of the adopted text, lowercase hex' })
  @Matches(SHA256, { message: 'documentSha256 must be 64 lowercase hex digits' })
  documentSha256!: string;

  @ApiProperty({ type: [ContractComponentDto], description: 'Both components, once each' })
  @IsArray()
  @ArrayMaxSize(Object.keys(COMPONENTS).length)
  @ValidateNested({ each: true })
  @Type(() => ContractComponentDto)
  components!: ContractComponentDto[];

  @ApiProperty({ type: [ContractPriorityDto], description: 'The six priorities (enjeux), numbered 1–6 once each' })
  @IsArray()
  @ArrayMaxSize(PRIORITY_NUMBERS.length)
  @ValidateNested({ each: true })
  @Type(() => ContractPriorityDto)
  priorities!: ContractPriorityDto[];

  @ApiProperty({ type: ContractTerritoryDto })
  @IsObject()
  @ValidateNested()
  @Type(() => ContractTerritoryDto)
  territory!: ContractTerritoryDto;

  @ApiProperty({ type: [String], example: ['party-etat', 'party-mel'], description: 'Party ids of the signatories (at least 2)' })
  @IsArray()
  @ArrayMaxSize(500)
  @Matches(ID_PATTERN, { each: true })
  signatoryPartyIds!: string[];
}
