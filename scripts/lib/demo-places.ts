// Where the demo's households live: made-up house numbers on real-looking streets, spread over
// Great Britain, each with a postcode of its town and an MPAN whose first two digits are the
// distributor of that region (10 Eastern ... 23 Yorkshire) and whose check digit is valid.

export interface DemoPlace {
  streetAddress: string;
  postcode: string;
  /** Distribution area id: the MPAN core's first two digits. */
  distributor: number;
  householder: string;
}

const PLACES: readonly DemoPlace[] = [
  { streetAddress: "14 Clarendon Road, Bristol", postcode: "BS6 7ET", distributor: 22, householder: "Amelia Hughes" },
  { streetAddress: "3 Mill Lane, Cambridge", postcode: "CB2 1RX", distributor: 10, householder: "Oliver Patel" },
  { streetAddress: "27 Heaton Park Road, Newcastle upon Tyne", postcode: "NE6 5NR", distributor: 15, householder: "Grace Robson" },
  { streetAddress: "8 Canal Street, Manchester", postcode: "M1 3HE", distributor: 16, householder: "Jack Whitworth" },
  { streetAddress: "52 Otley Road, Leeds", postcode: "LS6 3PX", distributor: 23, householder: "Isla Thompson" },
  { streetAddress: "11 Marchmont Crescent, Edinburgh", postcode: "EH9 1HN", distributor: 18, householder: "Callum Fraser" },
  { streetAddress: "6 Cathedral Road, Cardiff", postcode: "CF11 9LJ", distributor: 21, householder: "Ffion Davies" },
  { streetAddress: "19 Harborne Road, Birmingham", postcode: "B15 3DH", distributor: 14, householder: "Aisha Begum" },
  { streetAddress: "4 Lark Lane, Liverpool", postcode: "L17 8US", distributor: 13, householder: "Ryan O'Neill" },
  { streetAddress: "33 Mansfield Road, Nottingham", postcode: "NG5 2BT", distributor: 11, householder: "Sophie Turner" },
  { streetAddress: "2 St Giles, Oxford", postcode: "OX1 3JS", distributor: 20, householder: "Henry Clarke" },
  { streetAddress: "71 Ditchling Road, Brighton", postcode: "BN1 4SD", distributor: 19, householder: "Maya Goldberg" },
  { streetAddress: "9 Union Street, Aberdeen", postcode: "AB11 6BE", distributor: 17, householder: "Euan Ross" },
  { streetAddress: "15 Heavitree Road, Exeter", postcode: "EX1 2LD", distributor: 22, householder: "Poppy Ashworth" },
  { streetAddress: "24 Unthank Road, Norwich", postcode: "NR2 2RB", distributor: 10, householder: "Thomas Reeve" },
  { streetAddress: "7 Ecclesall Road, Sheffield", postcode: "S11 8HY", distributor: 23, householder: "Hannah Firth" },
  { streetAddress: "40 London Road, Leicester", postcode: "LE2 0QB", distributor: 11, householder: "Ravi Mistry" },
  { streetAddress: "5 Byres Road, Glasgow", postcode: "G12 8TT", distributor: 18, householder: "Niamh Campbell" },
  { streetAddress: "18 Portswood Road, Southampton", postcode: "SO17 2ES", distributor: 20, householder: "George Mitchell" },
  { streetAddress: "62 Northdown Road, Margate", postcode: "CT9 2RW", distributor: 19, householder: "Lily Barker" },
  { streetAddress: "12 Stoke Newington Church Street, London", postcode: "N16 0LU", distributor: 12, householder: "Samuel Adeyemi" },
  { streetAddress: "29 Lordship Lane, London", postcode: "SE22 8EW", distributor: 12, householder: "Chloe Bennett" },
  { streetAddress: "3 Walcot Street, Bath", postcode: "BA1 5BG", distributor: 22, householder: "William Hart" },
  { streetAddress: "45 Bold Street, Liverpool", postcode: "L1 4EU", distributor: 13, householder: "Ella McCarthy" },
  { streetAddress: "10 Gloucester Road, Cheltenham", postcode: "GL51 8NR", distributor: 14, householder: "Noah Jenkins" },
  { streetAddress: "21 Bootham, York", postcode: "YO30 7BW", distributor: 23, householder: "Freya Atkinson" },
  { streetAddress: "8 High Street, Conwy", postcode: "LL32 8DB", distributor: 13, householder: "Dylan Roberts" },
  { streetAddress: "36 Osborne Road, Jesmond, Newcastle upon Tyne", postcode: "NE2 2AH", distributor: 15, householder: "Ava Charlton" },
  { streetAddress: "17 Lever Street, Manchester", postcode: "M1 1FN", distributor: 16, householder: "Leo Kowalski" },
  { streetAddress: "4 Perth Road, Dundee", postcode: "DD1 4LN", distributor: 17, householder: "Isabella Reid" },
  { streetAddress: "13 Mumbles Road, Swansea", postcode: "SA3 4DN", distributor: 21, householder: "Rhys Evans" },
  { streetAddress: "58 Cowley Road, Oxford", postcode: "OX4 1JB", distributor: 20, householder: "Zara Hussain" },
  { streetAddress: "6 King Street, Kettering", postcode: "NN16 8QP", distributor: 11, householder: "Daniel Price" },
  { streetAddress: "22 Tenby Street, Birmingham", postcode: "B1 3EN", distributor: 14, householder: "Evie Walsh" },
  { streetAddress: "9 Magdalen Street, Colchester", postcode: "CO1 2JU", distributor: 10, householder: "Arthur Greene" },
  { streetAddress: "31 Harbour Street, Whitstable", postcode: "CT5 1AH", distributor: 19, householder: "Ruby Cole" },
  { streetAddress: "1 Fore Street, St Ives", postcode: "TR26 1AB", distributor: 22, householder: "Jacob Penrose" },
  { streetAddress: "47 Chorlton Road, Manchester", postcode: "M16 7WU", distributor: 16, householder: "Mia Ahmed" },
  { streetAddress: "16 Roman Road, London", postcode: "E3 5LU", distributor: 12, householder: "Harrison Cole" },
  { streetAddress: "25 Gillygate, York", postcode: "YO31 7EA", distributor: 23, householder: "Scarlett Wood" },
  { streetAddress: "5 Queen Street, Inverness", postcode: "IV1 1JE", distributor: 17, householder: "Finlay MacLeod" },
  { streetAddress: "38 Lark Hill Road, Worcester", postcode: "WR5 2EF", distributor: 14, householder: "Matilda Hayes" },
  { streetAddress: "12 Tontine Street, Folkestone", postcode: "CT20 1JU", distributor: 19, householder: "Edward Lane" },
  { streetAddress: "7 Albert Road, Southsea", postcode: "PO5 2SE", distributor: 20, householder: "Imogen Shaw" },
  { streetAddress: "20 Mill Road, Cambridge", postcode: "CB1 2AD", distributor: 10, householder: "Joseph Okafor" },
  { streetAddress: "14 Fosse Road South, Leicester", postcode: "LE3 0FS", distributor: 11, householder: "Layla Khan" },
  { streetAddress: "3 Marine Terrace, Aberystwyth", postcode: "SY23 2AZ", distributor: 13, householder: "Osian Morgan" },
  { streetAddress: "26 Stockbridge Road, Edinburgh", postcode: "EH3 6QN", distributor: 18, householder: "Eilidh Stewart" },
  // The direct (OCPP-J) chargers' households.
  { streetAddress: "9 Ecclesall Road, Sheffield", postcode: "S11 8HY", distributor: 23, householder: "Harriet Booth" },
  { streetAddress: "41 Gloucester Road, Bristol", postcode: "BS7 8AD", distributor: 22, householder: "Samuel Adeyemi" },
  { streetAddress: "15 Magdalen Road, Norwich", postcode: "NR3 4LD", distributor: 10, householder: "Poppy Goodwin" },
  { streetAddress: "5 Chapel Allerton Lane, Leeds", postcode: "LS7 3RH", distributor: 23, householder: "Arjun Mistry" },
];

const MPAN_WEIGHTS = [3, 5, 7, 13, 17, 19, 23, 29, 31, 37, 41, 43];

/** A valid 13-digit MPAN core in the distributor's area, unique per `serial`. */
function demoMpan(distributor: number, serial: number): string {
  const first12 = `${distributor}${String(7_700_000_000 + serial).padStart(10, "0")}`;
  const sum = MPAN_WEIGHTS.reduce((total, weight, i) => total + Number(first12.charAt(i)) * weight, 0);
  return `${first12}${(sum % 11) % 10}`;
}

/** The n-th demo household (wrapping round the list), with its MPAN and an email on file. */
export function demoHousehold(index: number): DemoPlace & { mpan: string; email: string } {
  const place = PLACES[index % PLACES.length] ?? PLACES[0];
  if (!place) throw new Error("no demo places");
  const email = `${place.householder.toLowerCase().replace(/[^a-z]+/g, ".")}@example.com`;
  return { ...place, mpan: demoMpan(place.distributor, index), email };
}
