// The demo shop's catalogue: products grouped in families of things people buy together (a running kit, a rain
// kit…), which gives the generated orders the co-purchase structure "frequently bought together" should find.

export const categories = ['zapatillas', 'camisetas', 'pantalones', 'chaquetas', 'accesorios'] as const;
export type Category = (typeof categories)[number];

export const categoryNames: Record<Category, string> = {
  zapatillas: 'Zapatillas',
  camisetas: 'Camisetas',
  pantalones: 'Pantalones',
  chaquetas: 'Chaquetas',
  accesorios: 'Accesorios',
};

export interface DemoProduct {
  product_id: string;
  sku: string;
  name: string;
  price: number;
  category: Category;
  brand: string;
  /** The kit it belongs to: products of one family are bought together. */
  family: string;
  /** Hue of the placeholder picture (the demo ships no images). */
  hue: number;
}

type Row = [name: string, price: number, category: Category, brand: string];

/** Families in order of popularity; inside a family the first product is the one people come for. */
const families: Record<string, Row[]> = {
  running: [
    ['Zapatillas running Brisa', 89.9, 'zapatillas', 'Nortera'],
    ['Calcetines técnicos (pack 3)', 14.9, 'accesorios', 'Ciclo'],
    ['Camiseta técnica Aire', 24.9, 'camisetas', 'Nortera'],
    ['Mallas running Ritmo', 34.9, 'pantalones', 'Ciclo'],
  ],
  casual: [
    ['Zapatillas urbanas Paseo', 69.9, 'zapatillas', 'Mar Azul'],
    ['Camiseta algodón Básica', 14.9, 'camisetas', 'Mar Azul'],
    ['Vaquero recto Puerto', 49.9, 'pantalones', 'Mar Azul'],
    ['Cinturón de piel Curtido', 24.9, 'accesorios', 'Mar Azul'],
  ],
  trekking: [
    ['Botas de trekking Cumbre', 129, 'zapatillas', 'Sierra Alta'],
    ['Calcetines de merino', 17.9, 'accesorios', 'Sierra Alta'],
    ['Pantalón de trekking Senda', 59.9, 'pantalones', 'Sierra Alta'],
    ['Bastones plegables Alto', 39.9, 'accesorios', 'Sierra Alta'],
  ],
  lluvia: [
    ['Chaqueta impermeable Nube', 119, 'chaquetas', 'Nortera'],
    ['Funda de mochila impermeable', 12.9, 'accesorios', 'Nortera'],
    ['Gorra impermeable Llovizna', 19.9, 'accesorios', 'Nortera'],
  ],
  invierno: [
    ['Plumífero Nevada', 149, 'chaquetas', 'Sierra Alta'],
    ['Gorro de lana Pirineo', 16.9, 'accesorios', 'Sierra Alta'],
    ['Guantes térmicos Escarcha', 22.9, 'accesorios', 'Sierra Alta'],
    ['Forro polar Ventisca', 54.9, 'chaquetas', 'Nortera'],
  ],
  verano: [
    ['Bañador Ola', 29.9, 'pantalones', 'Mar Azul'],
    ['Toalla de microfibra', 18.9, 'accesorios', 'Mar Azul'],
    ['Chanclas Arena', 14.9, 'zapatillas', 'Mar Azul'],
    ['Camiseta de lino Brisa marina', 29.9, 'camisetas', 'Mar Azul'],
  ],
  viaje: [
    ['Mochila 30 L Ruta', 79.9, 'accesorios', 'Ciclo'],
    ['Botella de acero 750 ml', 17.9, 'accesorios', 'Ciclo'],
    ['Riñonera Atajo', 19.9, 'accesorios', 'Ciclo'],
  ],
};

export const products: readonly DemoProduct[] = Object.entries(families).flatMap(([family, rows], f) =>
  rows.map(([name, price, category, brand], i) => {
    const n = 101 + f * 10 + i;
    return {
      product_id: `p-${n}`,
      sku: `${brand.slice(0, 2).toUpperCase()}-${category.slice(0, 3).toUpperCase()}-${n}`,
      name,
      price,
      category,
      brand,
      family,
      hue: (f * 53 + i * 17) % 360,
    };
  }),
);

export const familyNames: readonly string[] = Object.keys(families);

/** The featured products on the home page: the first of each family. */
export const featured: readonly DemoProduct[] = familyNames.map(
  (f) => products.find((p) => p.family === f) as DemoProduct,
);

export const productById = (id: string): DemoProduct | undefined => products.find((p) => p.product_id === id);

export const productsIn = (category: Category): DemoProduct[] => products.filter((p) => p.category === category);

export const productsOfFamily = (family: string): DemoProduct[] => products.filter((p) => p.family === family);

/** How many recommendations a product page shows. */
export const RECOMMENDED = 4;

/**
 * The recommendations a product page shows in the generated history: the rest of its family, then featured
 * products, which is what "bought together" learns from these baskets (the live page asks the API).
 */
export function recommendedWith(p: DemoProduct): DemoProduct[] {
  const list = productsOfFamily(p.family).filter((x) => x !== p);
  for (const f of featured) if (f !== p && !list.includes(f)) list.push(f);
  return list.slice(0, RECOMMENDED);
}

/** How a price is shown in the shop (Spanish format). */
export const euros = (n: number): string => `${n.toFixed(2).replace('.', ',')} €`;

/** Where the demo shop is mounted. */
export const SHOP_PATH = '/demo';

export const pagePaths = {
  home: `${SHOP_PATH}/`,
  category: (c: Category) => `${SHOP_PATH}/c/${c}`,
  product: (p: DemoProduct) => `${SHOP_PATH}/p/${p.product_id}`,
  cart: `${SHOP_PATH}/cart`,
  checkout: `${SHOP_PATH}/checkout`,
};
