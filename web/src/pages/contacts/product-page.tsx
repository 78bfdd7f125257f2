import type { PageProps } from '../../frame/section.js';
import { formatMoney, formatTime } from '../../ui/format.js';
import { PageHeading } from '../../ui/page-heading.js';
import { Loading, LoadProblem } from '../../ui/problem.js';
import { useApi } from '../../ui/use-api.js';

interface Product {
  productId: string;
  variantId: string | null;
  title: string | null;
  price: number | null;
  currency: string | null;
  url: string | null;
  imageUrl: string | null;
  seenAt: string;
}

/** A product as the store's latest event described it (GET /v1/products/{id}), opened from a cart. */
export function ProductPage({ params, search }: PageProps) {
  const productId = params.productId!;
  const variant = search.get('variant');
  const {
    data: product,
    error,
    loading,
    reload,
  } = useApi<Product>(`/v1/products/${encodeURIComponent(productId)}`, {
    variant_id: variant,
  });
  if (error) return <LoadProblem error={error} what="product" retry={reload} />;
  if (loading || !product)
    return (
      <>
        <PageHeading title="Product" />
        <Loading label="Loading the product…" />
      </>
    );
  return (
    <>
      <PageHeading title={product.title ?? product.productId}>
        <p class="subtitle">As the store’s latest event about it described it, {formatTime(product.seenAt)}</p>
      </PageHeading>
      <section class="panel" aria-labelledby="product-title">
        <h2 id="product-title">Product</h2>
        <div class="item">
          {product.imageUrl ? (
            <img src={product.imageUrl} alt="" width={56} height={56} />
          ) : (
            <span class="item-image-none" aria-hidden="true" />
          )}
          <dl class="facts item-name">
            <div>
              <dt>Product id</dt>
              <dd class="break">{product.productId}</dd>
            </div>
            {product.variantId ? (
              <div>
                <dt>Variant</dt>
                <dd class="break">{product.variantId}</dd>
              </div>
            ) : null}
            <div>
              <dt>Price</dt>
              <dd>{formatMoney(product.price, product.currency)}</dd>
            </div>
          </dl>
        </div>
        {product.url ? (
          <p class="panel-actions">
            <a class="button" href={product.url} target="_blank" rel="noopener noreferrer">
              Open it in the shop<span class="sr-only"> (opens in a new tab)</span>
            </a>
          </p>
        ) : null}
      </section>
    </>
  );
}
