// Made-up Spanish shoppers: names, emails, phones and birthdays drawn from a seeded PRNG.
import { pick } from './traffic.ts';

const firstNames = [
  'Lucía',
  'María',
  'Paula',
  'Carmen',
  'Sofía',
  'Julia',
  'Martina',
  'Elena',
  'Laura',
  'Ana',
  'Marta',
  'Irene',
  'Hugo',
  'Martín',
  'Pablo',
  'Daniel',
  'Alejandro',
  'Javier',
  'Álvaro',
  'Diego',
  'Sergio',
  'Jorge',
  'Pau',
  'Iker',
] as const;
const surnames = [
  'García',
  'Rodríguez',
  'González',
  'Fernández',
  'López',
  'Martínez',
  'Sánchez',
  'Pérez',
  'Gómez',
  'Martín',
  'Jiménez',
  'Ruiz',
  'Hernández',
  'Díaz',
  'Moreno',
  'Muñoz',
  'Álvarez',
  'Romero',
  'Navarro',
  'Torres',
  'Vidal',
  'Puig',
  'Etxeberria',
  'Castro',
] as const;

export interface Person {
  userId: string;
  firstName: string;
  lastName: string;
  email: string;
  phone: string;
  birthday: string;
}

const ascii = (s: string) =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();

/** Customer number `n` of the demo shop. */
export function person(rnd: () => number, n: number): Person {
  const firstName = pick(rnd, firstNames);
  const lastName = `${pick(rnd, surnames)} ${pick(rnd, surnames)}`;
  const year = 1955 + Math.floor(rnd() * 50);
  const month = 1 + Math.floor(rnd() * 12);
  const day = 1 + Math.floor(rnd() * 28);
  return {
    userId: `cust-${String(n).padStart(5, '0')}`,
    firstName,
    lastName,
    email: `${ascii(firstName)}.${ascii(lastName.split(' ')[0] ?? '')}${n}@correo.example`,
    phone: `+34 6${String(Math.floor(rnd() * 1e8)).padStart(8, '0')}`,
    birthday: `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`,
  };
}

/** A UUID v4 drawn from the PRNG, so the same seed gives the same ids (and a rerun is deduplicated). */
export function uuidFrom(rnd: () => number): string {
  let hex = '';
  for (let i = 0; i < 4; i++)
    hex += Math.floor(rnd() * 2 ** 32)
      .toString(16)
      .padStart(8, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${((Number.parseInt(hex[16] ?? '0', 16) & 3) | 8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
