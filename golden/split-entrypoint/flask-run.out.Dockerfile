FROM python:3.12-slim
WORKDIR /app
COPY . .
RUN pip install --no-cache-dir -r requirements.txt
ENV FLASK_APP=hello.py
ENTRYPOINT ["flask"]
CMD ["run", "--host=0.0.0.0"]
