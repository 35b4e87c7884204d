# The bot as compose.yaml runs it: one image, each container given its shard range.
FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY seeds ./seeds
RUN pip install --no-cache-dir . && mkdir -p /app/data && chown nobody /app/data
USER nobody
ENV SEEDS_DIR=/app/seeds DATABASE_PATH=/app/data/essay-bot.sqlite3
CMD ["python", "-m", "bot", "run"]
