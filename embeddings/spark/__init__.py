"""Apache Spark as a training engine: Word2Vec (MLlib) and GloVe co-occurrence counts.

- :mod:`.session`: checks (pyspark, Java, the master), the session factory, the lab's
  package shipped to the executors;
- :mod:`.jobs`: a job group per run, progress from the status tracker, cancellation,
  Spark failures turned into the library's one-line errors;
- :mod:`.corpus`: a corpus as an RDD of token lists, tokenized on the executors with the
  lab's tokenizers, and its vocabulary (the local counter's order);
- :mod:`.cooccurrence`: the local counter's counts, computed with RDD operations;
- :mod:`.word2vec`: MLlib Word2Vec (skip-gram, hierarchical softmax) into the model store;
- :mod:`.transfer`: large results to the driver in slices (parquet, or partition by partition).

pyspark is optional (``make spark`` or ``pip install -r requirements-spark.txt``); nothing
here imports it before :func:`.session.require_pyspark` has said it is there.
"""
