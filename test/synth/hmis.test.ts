import { describe, expect, it } from 'vitest';
import { HMIS_FY2024_CLIENT_COLUMNS, HMIS_FY2026_CLIENT_COLUMNS, synthesize } from '../../src/synth/index.js';
import { ruleBook } from './helpers.js';

// Headers as published in HUD's HMIS CSV specifications (domain.md §2.6).
const FY2026 =
  'PersonalID,FirstName,MiddleName,LastName,NameSuffix,NameDataQuality,SSN,SSNDataQuality,DOB,DOBDataQuality,Sex,AmIndAKNative,Asian,BlackAfAmerican,HispanicLatinao,MidEastNAfrican,NativeHIPacific,White,RaceNone,AdditionalRaceEthnicity,VeteranStatus,YearEnteredService,YearSeparated,WorldWarII,KoreanWar,VietnamWar,DesertStorm,AfghanistanOEF,IraqOIF,IraqOND,OtherTheater,MilitaryBranch,DischargeStatus,DateCreated,DateUpdated,UserID,DateDeleted,ExportID';
const FY2024 =
  'PersonalID,FirstName,MiddleName,LastName,NameSuffix,NameDataQuality,SSN,SSNDataQuality,DOB,DOBDataQuality,AmIndAKNative,Asian,BlackAfAmerican,HispanicLatinaeo,MidEastNAfrican,NativeHIPacific,White,RaceNone,AdditionalRaceEthnicity,Woman,Man,NonBinary,CulturallySpecific,Transgender,Questioning,DifferentIdentity,GenderNone,DifferentIdentityText,VeteranStatus,YearEnteredService,YearSeparated,WorldWarII,KoreanWar,VietnamWar,DesertStorm,AfghanistanOEF,IraqOIF,IraqOND,OtherTheater,MilitaryBranch,DischargeStatus,DateCreated,DateUpdated,UserID,DateDeleted,ExportID';

const V1 = ['YearEnteredService', 'YearSeparated', 'WorldWarII', 'KoreanWar', 'VietnamWar', 'DesertStorm'];
const RACE26 = [
  'AmIndAKNative',
  'Asian',
  'BlackAfAmerican',
  'HispanicLatinao',
  'MidEastNAfrican',
  'NativeHIPacific',
  'White',
];
const T = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

describe('HMIS Client.csv layouts', () => {
  it('headers are exactly HUD FY2026 and FY2024', () => {
    expect(HMIS_FY2026_CLIENT_COLUMNS.join(',')).toBe(FY2026);
    expect(HMIS_FY2024_CLIENT_COLUMNS.join(',')).toBe(FY2024);
    expect(
      synthesize({ seed: 1, clients: 1, members: 1, cocLayout: 'hmis-fy2026' }).columns.clients.join(','),
    ).toBe(FY2026);
  });

  it('FY2026 rows hold valid codes', () => {
    const rows = [
      ...synthesize({ seed: 3, clients: 3000, members: 3000, cocLayout: 'hmis-fy2026' }).clients(),
    ];
    const exportIds = new Set(rows.map((r) => r.ExportID));
    expect(exportIds.size).toBe(1);
    let veterans = 0;
    const { check, broken } = ruleBook();
    const columns = [...HMIS_FY2026_CLIENT_COLUMNS].sort().join();
    for (const r of rows) {
      check('row has exactly the FY2026 columns', Object.keys(r).sort().join() === columns);
      check('Sex is a 4.21 code or blank', ['0', '1', '8', '9', '99', ''].includes(r.Sex as string));
      check(
        'race columns are 0/1',
        RACE26.every((c) => r[c] === '0' || r[c] === '1'),
      );
      const anyRace = RACE26.some((c) => r[c] === '1');
      check(
        'RaceNone only when no race',
        anyRace ? r.RaceNone === '' : ['8', '9', '99'].includes(r.RaceNone as string),
      );
      check('VeteranStatus is a 1.8 code', ['0', '1', '8', '9', '99'].includes(r.VeteranStatus as string));
      if (r.VeteranStatus === '1') {
        veterans++;
        const entered = Number(r.YearEnteredService);
        check('YearEnteredService from 1920', entered >= 1920);
        check('YearSeparated after entering', Number(r.YearSeparated) >= entered);
        check(
          'MilitaryBranch is a V1.11 code',
          ['1', '2', '3', '4', '6', '7'].includes(r.MilitaryBranch as string),
        );
        check(
          'DischargeStatus is a V1.12 code',
          ['1', '2', '4', '5', '6', '7'].includes(r.DischargeStatus as string),
        );
      } else {
        check(
          'V1 fields null unless a veteran',
          [...V1, 'MilitaryBranch', 'DischargeStatus'].every((f) => r[f] === ''),
        );
      }
      check('DateCreated is T', T.test(r.DateCreated as string));
      check('DateUpdated is T', T.test(r.DateUpdated as string));
      check('updated after created', (r.DateUpdated as string) >= (r.DateCreated as string));
      check('not deleted', r.DateDeleted === '');
      if (r.DOB) check('DOB is ISO', /^\d{4}-\d{2}-\d{2}$/.test(r.DOB));
    }
    expect(broken()).toEqual([]);
    expect(veterans).toBeGreaterThan(30);
  });

  it('FY2024 rows carry gender columns consistent with the recorded sex', () => {
    const d26 = [
      ...synthesize({ seed: 3, clients: 3000, members: 3000, cocLayout: 'hmis-fy2026' }).clients(),
    ];
    const d24 = [
      ...synthesize({ seed: 3, clients: 3000, members: 3000, cocLayout: 'hmis-fy2024' }).clients(),
    ];
    const { check, broken } = ruleBook();
    const GENDERS = [
      'Woman',
      'Man',
      'NonBinary',
      'CulturallySpecific',
      'Transgender',
      'Questioning',
      'DifferentIdentity',
    ];
    d24.forEach((r, i) => {
      const sex = d26[i]?.Sex;
      check(
        'gender columns are 0/1',
        GENDERS.every((g) => r[g] === '0' || r[g] === '1'),
      );
      const anyGender = ['Woman', 'Man', 'NonBinary'].some((g) => r[g] === '1');
      if (sex === '0' || sex === '1') {
        check('known sex has a gender', anyGender && r.GenderNone === '');
        if (r.Woman === '1') check('Woman only for female', sex === '0');
        if (r.Man === '1') check('Man only for male', sex === '1');
      } else {
        check('unknown sex has GenderNone', !anyGender && ['8', '9', '99'].includes(r.GenderNone as string));
      }
      check('same race in both layouts', r.HispanicLatinaeo === d26[i]?.HispanicLatinao);
    });
    expect(broken()).toEqual([]);
  });
});
