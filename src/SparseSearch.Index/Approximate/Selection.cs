namespace SparseSearch.Index.Approximate;

/// <summary>Partial ordering in linear time on average: what choosing the best n of many candidates needs, no more.</summary>
internal static class Selection
{
    /// <summary>
    /// Reorders <paramref name="items"/> so that its first <paramref name="count"/> entries are the smallest by
    /// <paramref name="comparer"/> (in no particular order): Hoare's quickselect.
    /// </summary>
    public static void SmallestFirst<T, TComparer>(Span<T> items, int count, TComparer comparer)
        where TComparer : IComparer<T>
    {
        if (count <= 0 || count >= items.Length)
        {
            return;
        }

        var target = count - 1;
        int low = 0, high = items.Length - 1;
        while (low < high)
        {
            var pivot = items[(int)(((uint)low + (uint)high) >> 1)];
            int i = low, j = high;
            while (i <= j)
            {
                while (comparer.Compare(items[i], pivot) < 0)
                {
                    i++;
                }

                while (comparer.Compare(pivot, items[j]) < 0)
                {
                    j--;
                }

                if (i <= j)
                {
                    (items[i], items[j]) = (items[j], items[i]);
                    i++;
                    j--;
                }
            }

            if (target <= j)
            {
                high = j;
            }
            else if (target >= i)
            {
                low = i;
            }
            else
            {
                return;
            }
        }
    }
}
